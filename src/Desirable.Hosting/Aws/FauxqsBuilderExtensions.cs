using Aspire.Hosting.ApplicationModel;
using Desirable.Hosting.Aws;

namespace Aspire.Hosting;

public static class FauxqsBuilderExtensions
{
    /// <summary>
    /// Adds fauxqs as the AWS emulator. Its npm packages install on first run (an <c>{name}-install</c> resource the
    /// emulator waits for). State persists under <paramref name="dataDirectory"/>: SQS/SNS in SQLite, S3 objects as files.
    /// </summary>
    /// <param name="builder">The distributed application builder.</param>
    /// <param name="name">The resource name.</param>
    /// <param name="dataDirectory">Where the emulator keeps its state between runs.</param>
    public static IResourceBuilder<FauxqsResource> AddFauxqs(
        this IDistributedApplicationBuilder builder,
        [ResourceName] string name,
        string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);

        // npm install is quick when node_modules already match the lock file, so it runs on every start.
        // It installs where its files are, in the repository (node_modules is ignored by git).
        var emulatorDirectory = FauxqsPackage.SourceDirectory;
        var install = builder.AddExecutable($"{name}-install", "npm", emulatorDirectory, [.. FauxqsPackage.InstallArguments])
            .WithIconName("ArrowDownload");

        var stateDirectory = Path.Combine(dataDirectory, "state");
        var s3Directory = Path.Combine(dataDirectory, "s3");
        var resource = new FauxqsResource(name, FauxqsPackage.Node(emulatorDirectory), emulatorDirectory) { S3Directory = s3Directory };
        return builder.AddResource(resource)
            .WithArgs([.. FauxqsPackage.Arguments])
            .WithHttpEndpoint(name: FauxqsResource.HttpEndpointName, env: FauxqsPackage.PortVariable)
            .WithEnvironment(context =>
            {
                foreach (var (key, value) in FauxqsPackage.Environment(s3Directory, stateDirectory, resource.Region))
                {
                    context.EnvironmentVariables[key] = value;
                }
            })
            .WithHttpHealthCheck(FauxqsPackage.HealthPath)
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
