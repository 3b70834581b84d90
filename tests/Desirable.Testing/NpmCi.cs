using System.Diagnostics;
using System.Security.Cryptography;

namespace Desirable.Testing;

/// <summary>
/// <c>npm ci</c> into a test output folder that holds a package.json and its lock file, skipped when the folder's
/// node_modules were installed from the same lock file (ci rather than install: a clean tree exactly as locked, the
/// lock file never rewritten).
/// </summary>
public static class NpmCi
{
    public static async Task InstallAsync(string folder, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var lockHash = Convert.ToHexString(SHA256.HashData(await File.ReadAllBytesAsync(Path.Combine(folder, "package-lock.json"), cancellationToken)));
        var stamp = Path.Combine(folder, "node_modules", ".desirable-lock-hash");
        if (File.Exists(stamp) && await File.ReadAllTextAsync(stamp, cancellationToken) == lockHash)
        {
            return;
        }

        using var npm = Process.Start(new ProcessStartInfo("npm", ["ci", .. arguments])
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("npm did not start.");
        var errors = npm.StandardError.ReadToEndAsync(cancellationToken);
        await npm.StandardOutput.ReadToEndAsync(cancellationToken);
        await npm.WaitForExitAsync(cancellationToken);
        if (npm.ExitCode != 0)
        {
            throw new InvalidOperationException($"npm ci failed ({npm.ExitCode}): {await errors}");
        }

        await File.WriteAllTextAsync(stamp, lockHash, cancellationToken);
    }
}
