using System.Diagnostics;
using System.Security.Cryptography;
using Desirable.Hosting.Aws;

namespace Desirable.Testing;

/// <summary>
/// A real fauxqs process (the AppHost's embedded AWS emulator) on a free loopback port, S3 on disk, SQS and SNS in
/// memory or, given a state folder, in SQLite there (then it can be stopped and started again on the same port with
/// everything it held, as an outage of AWS would look to the services); started as the hosting integration describes
/// it (<see cref="FauxqsPackage"/>). Its npm packages are
/// installed into the test output folder, apart from the AppHost's copy, so that test projects running side by side
/// never share an npm install.
/// </summary>
public sealed class FauxqsEmulator : IAsyncDisposable
{
    // Test classes start emulators in parallel; the install into the shared folder must happen once per process.
    private static readonly Lazy<Task<string>> Installation = new(() => InstallAsync(CancellationToken.None));

    private readonly int _port;
    private readonly string? _stateDirectory;
    private Process? _process;

    private FauxqsEmulator(int port, string s3StorageDirectory, string? stateDirectory)
    {
        _port = port;
        ServiceUrl = new Uri($"http://127.0.0.1:{port}/");
        S3StorageDirectory = s3StorageDirectory;
        _stateDirectory = stateDirectory;
    }

    /// <summary>The region the tests' clients sign for.</summary>
    public const string Region = "us-east-1";

    public Uri ServiceUrl { get; }

    /// <summary>Where the emulator keeps S3 objects and open multipart uploads as files.</summary>
    public string S3StorageDirectory { get; }

    /// <summary>Set when the emulator made its folder itself; it goes with the emulator.</summary>
    private bool _ownsDirectory;

    /// <summary>Starts fauxqs on a fresh temporary folder of its own, removed again when it is disposed.</summary>
    public static async Task<FauxqsEmulator> StartInTemporaryFolderAsync(CancellationToken cancellationToken)
    {
        var emulator = await StartAsync(Directory.CreateTempSubdirectory("desirable-fauxqs-").FullName, cancellationToken);
        emulator._ownsDirectory = true;
        return emulator;
    }

    /// <summary>Starts fauxqs; S3 objects and open multipart uploads are kept as files under <paramref name="s3StorageDirectory"/>.</summary>
    public static Task<FauxqsEmulator> StartAsync(string s3StorageDirectory, CancellationToken cancellationToken) =>
        StartAsync(s3StorageDirectory, stateDirectory: null, cancellationToken);

    /// <summary>
    /// Starts fauxqs; S3 objects as files under <paramref name="s3StorageDirectory"/>, queues, messages and topics in
    /// SQLite under <paramref name="stateDirectory"/> (null: in memory, lost when it stops).
    /// </summary>
    public static async Task<FauxqsEmulator> StartAsync(string s3StorageDirectory, string? stateDirectory, CancellationToken cancellationToken)
    {
        var emulator = new FauxqsEmulator(LoopbackPort.Free(), s3StorageDirectory, stateDirectory);
        await emulator.LaunchAsync(cancellationToken);
        return emulator;
    }

    /// <summary>Kills the emulator (SIGKILL, as a crash or a lost network would end it): nothing answers on its port.</summary>
    public async Task StopAsync()
    {
        if (_process is null)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _process = null;
    }

    /// <summary>Starts it again on the same port and folders; with a state folder, everything it held is back.</summary>
    public Task RestartAsync(CancellationToken cancellationToken) => LaunchAsync(cancellationToken);

    private async Task LaunchAsync(CancellationToken cancellationToken)
    {
        var directory = await Installation.Value.WaitAsync(cancellationToken);
        var start = new ProcessStartInfo(FauxqsPackage.Node(directory), FauxqsPackage.Arguments)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment[FauxqsPackage.PortVariable] = _port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var (key, value) in FauxqsPackage.Environment(S3StorageDirectory, _stateDirectory, Region))
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("fauxqs did not start.");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        await WaitUntilHealthyAsync(cancellationToken);
    }

    private async Task WaitUntilHealthyAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = ServiceUrl, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (_process is not { HasExited: false })
            {
                throw new InvalidOperationException($"fauxqs exited with code {_process?.ExitCode}.");
            }

            try
            {
                using var response = await http.GetAsync(FauxqsPackage.HealthPath, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100, cancellationToken);
        }

        throw new TimeoutException("fauxqs did not become healthy within 30 s.");
    }

    private static async Task<string> InstallAsync(CancellationToken cancellationToken)
    {
        var target = Path.Combine(AppContext.BaseDirectory, "fauxqs");
        Directory.CreateDirectory(target);
        foreach (var file in FauxqsPackage.Files)
        {
            File.Copy(Path.Combine(FauxqsPackage.SourceDirectory, file), Path.Combine(target, file), overwrite: true);
        }

        await NpmCi.InstallAsync(target, FauxqsPackage.InstallArguments.Skip(1), cancellationToken);
        return target;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (_ownsDirectory)
        {
            Directory.Delete(S3StorageDirectory, recursive: true);
        }
    }
}
