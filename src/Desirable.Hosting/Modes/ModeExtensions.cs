using Amazon.Runtime;
using Aspire.Hosting.ApplicationModel;
using Desirable.Aws.CloudFormation;
using Desirable.Aws.Query;
using Desirable.Hosting.Aws;
using Desirable.Hosting.Aws.Cloud;
using Desirable.Hosting.Aws.Stacks;
using Desirable.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Desirable.Hosting.Modes;

/// <summary>What each mode puts behind the two infrastructure seams the services use: AWS and the catalog.</summary>
public static class ModeExtensions
{
    /// <summary>The secret parameter holding LocalStack's auth token (user secrets or an environment variable).</summary>
    public const string LocalStackAuthTokenParameter = "localstack-auth-token";

    /// <summary><c>Desirable:Aws:Atlas=true</c>: the aws mode's Database stack creates a MongoDB Atlas cluster.</summary>
    public const string AtlasKey = "Desirable:Aws:Atlas";

    /// <summary>The database the catalog lives in, on the local server as on Atlas.</summary>
    public const string CatalogDatabaseName = "desirable";

    /// <summary>Aspire's own setting for the container runtime it drives (<c>docker</c> by default, or <c>podman</c>).</summary>
    private const string AspireContainerRuntimeKey = "ASPIRE_CONTAINER_RUNTIME";

    /// <summary>
    /// Decides the mode and shows the decision on the dashboard's <c>mode</c> resource and the console. Returns false,
    /// after saying why on the console, when the mode asked for cannot run here; the AppHost then stops at once.
    /// </summary>
    public static bool TrySelectMode(this IDistributedApplicationBuilder builder, out ModeSelection selection)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configuration = builder.Configuration;
        var asked = configuration[AspireContainerRuntimeKey] ?? configuration[$"DOTNET_{AspireContainerRuntimeKey}"];
        var report = ContainerRuntimeReport.None;
        try
        {
            // The PATH as configuration sees it: the environment's, which a test can replace with stand-ins.
            selection = ModeSelection.Decide(configuration[ModeSelection.ConfigurationKey], configuration[ModeSelection.AwsEmulatorKey],
                () => report = ContainerRuntimeProbe.Probe(configuration["PATH"], asked?.Trim().ToLowerInvariant(), ContainerRuntimeProbe.DefaultTimeout),
                configuration[ModeSelection.ContainerRegistryKey]);
        }
        catch (ModeSelectionException e)
        {
            Console.Error.WriteLine(e.Message);
            selection = null!;
            return false;
        }

        // Aspire drives docker unless told otherwise; Podman found (also behind the docker command) must be named.
        if (selection.Runtime is { Name: "podman" } && asked is null)
        {
            configuration[AspireContainerRuntimeKey] = "podman";
        }

        var properties = new List<ResourcePropertySnapshot>
        {
            new("desirable.mode", selection.Mode.ToString()),
            new("desirable.mode.reason", selection.Reason),
        };
        if (selection.Runtime is { } runtime)
        {
            properties.Add(new("desirable.container-runtime", runtime.Description));
        }

        if (selection.Emulator is { } emulator)
        {
            properties.Add(new("desirable.aws-emulator", emulator.ToString()));
        }

        if (selection.ContainerRegistry is { } registry)
        {
            properties.Add(new("desirable.container-registry", registry));
        }

        if (report.Answers.Count > 0)
        {
            properties.Add(new("desirable.container-runtime.probe", $"{report.Elapsed.TotalMilliseconds:0} ms"));
        }

        var decided = selection;
        // Docker or Podman is installed but cannot run containers: worth a second look, even though the app runs.
        var problem = decided.Runtime is null ? report.Answers.Select(a => a.ShortProblem).FirstOrDefault(p => p is not null) : null;
        // The dashboard shows the decision on a resource of its own, and the console says it at start.
        builder.AddResource(new ModeResource("mode"))
            .WithIconName("Settings")
            .ExcludeFromManifest()
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "Mode",
                // The dashboard shows custom properties only behind "Show all properties"; the state is always in sight.
                // It humanizes state text (punctuation dropped, words lower-cased), so the cause is a plain clause.
                State = problem is null
                    ? new ResourceStateSnapshot(decided.Mode.ToString(), KnownResourceStateStyles.Info)
                    : new ResourceStateSnapshot($"{decided.Mode} because {problem}", KnownResourceStateStyles.Warn),
                Properties = [.. properties],
            })
            .OnInitializeResource((mode, e, _) =>
            {
                e.Logger.LogInformation("Desirable runs in {Mode} mode ({Reason}).", decided.Mode, decided.Reason);
                // The runtimes' own words (a socket path, a daemon's error) belong in the log, not in the reason.
                foreach (var answer in report.Answers.Where(a => a.Details is not null))
                {
                    e.Logger.LogInformation("{Command} said: {Details}", answer.Command, answer.Details);
                }

                return Task.CompletedTask;
            });

        builder.Eventing.Subscribe<BeforeStartEvent>((e, _) =>
        {
            e.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Desirable.AppHost.Mode")
                .LogInformation("Desirable runs in {Mode} mode ({Reason}).", decided.Mode, decided.Reason);
            return Task.CompletedTask;
        });

        return true;
    }

    /// <summary>
    /// What stands behind AWS, and the stage's stacks on it. One description for every mode: the stacks of
    /// src/Desirable.Infrastructure, applied to fauxqs through its APIs (embedded), deployed through CloudFormation to
    /// Floci or LocalStack (containers) or to the developer's account (aws).
    /// </summary>
    public static AwsResources AddAwsResources(this IDistributedApplicationBuilder builder, ModeSelection selection, string dataDirectory)
    {
        if (selection.Mode == DesirableMode.Aws)
        {
            return builder.AddCloudStage(AwsAccountSettings.From(builder.Configuration), dataDirectory);
        }

        IResourceBuilder<IAwsEmulatorResource> emulator = selection.Mode switch
        {
            DesirableMode.Embedded => builder.AddFauxqs("aws", dataDirectory: Path.Combine(dataDirectory, "aws")),
            DesirableMode.Containers => selection.Emulator switch
            {
                AwsEmulatorImage.LocalStack => builder.AddLocalStack("localstack", builder.AddLocalStackAuthToken())
                    .WithImageSource(selection.ContainerRegistry)
                    .WithDataVolume()
                    .WithLifetime(ContainerLifetime.Persistent),
                _ => builder.AddFloci("floci")
                    .WithImageSource(selection.ContainerRegistry)
                    .WithDataVolume()
                    .WithLifetime(ContainerLifetime.Persistent),
            },
            _ => throw new NotSupportedException($"No AWS emulator for {selection.Mode} mode."),
        };

        // fauxqs has no CloudFormation: the template's resources are applied through its APIs. Floci and LocalStack
        // run CloudFormation, so the template is deployed to them exactly as to AWS.
        IStackTarget target = emulator.Resource is FauxqsResource
            ? new EmulatorStackTarget(emulator.Resource)
            : new CloudFormationStackTarget($"{emulator.Resource.Name} (CloudFormation)", () => new AwsQueryClientOptions
            {
                ServiceUrl = new Uri(emulator.Resource.Endpoint.Url),
                Region = emulator.Resource.Region,
                Credentials = new BasicAWSCredentials(AwsEmulatorDefaults.AccessKeyId, AwsEmulatorDefaults.SecretAccessKey),
            }, new StackDeployerOptions { PollInterval = TimeSpan.FromSeconds(1), Timeout = TimeSpan.FromMinutes(5) });

        var templates = StackTemplates.EmulatorDirectory(builder);
        var media = builder.AddStageStack(DesirableStacks.Media, StackTemplates.EmulatorStage, templates, _ => Task.FromResult(templates), target)
            .WithParentRelationship(emulator)
            .WaitFor(emulator);
        emulator.WithProvisioningRetry(media)
            .WithAbandonedUploadCleanup(media);
        return new AwsResources { Emulator = emulator, Media = media };
    }

    public static IResourceBuilder<IResourceWithConnectionString> AddCatalog(
        this IDistributedApplicationBuilder builder, ModeSelection selection, string dataDirectory, AwsResources aws) => selection.Mode switch
        {
            DesirableMode.Aws => builder.AddCloudCatalog("catalog", aws.Database!, aws.Account!.Resource.Settings),
            DesirableMode.Embedded => builder.AddSqliteCatalog("catalog", Path.Combine(dataDirectory, "catalog", "catalog.db")),
            DesirableMode.Containers => builder.AddMongoDB("mongo")
                .WithImageSource(selection.ContainerRegistry)
                .WithDataVolume()
                .WithLifetime(ContainerLifetime.Persistent)
                .AddDatabase("catalog", CatalogDatabaseName),
            _ => throw new NotSupportedException($"No catalog for {selection.Mode} mode."),
        };

    /// <summary>
    /// The token is a secret parameter. When it is not configured, the dashboard asks for it (Aspire's unresolved
    /// parameter prompt) and LocalStack waits; the emulator's log says how to set it for good.
    /// </summary>
    internal static IResourceBuilder<ParameterResource> AddLocalStackAuthToken(this IDistributedApplicationBuilder builder)
    {
        var token = builder.AddParameter(LocalStackAuthTokenParameter, secret: true)
            .WithDescription(
                "LocalStack auth token (required since March 2026), from https://app.localstack.cloud. Or use " +
                $"{ModeSelection.AwsEmulatorKey}=floci, which needs none.");

        if (string.IsNullOrWhiteSpace(builder.Configuration[$"Parameters:{LocalStackAuthTokenParameter}"]))
        {
            const string Message =
                "LocalStack needs an auth token and none is configured. Enter it in the dashboard, or run " +
                "'dotnet user-secrets set Parameters:{Parameter} <token> --project src/Desirable.AppHost', or start " +
                "with --{Key}=floci, which needs no token.";
            builder.Eventing.Subscribe<InitializeResourceEvent>(token.Resource, (e, _) =>
            {
                e.Logger.LogWarning(Message, LocalStackAuthTokenParameter, ModeSelection.AwsEmulatorKey);
                return Task.CompletedTask;
            });
            builder.Eventing.Subscribe<BeforeStartEvent>((e, _) =>
            {
                e.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Desirable.AppHost.Mode")
                    .LogWarning(Message, LocalStackAuthTokenParameter, ModeSelection.AwsEmulatorKey);
                return Task.CompletedTask;
            });
        }

        return token;
    }

    /// <summary>Carries the mode decision into the dashboard.</summary>
    private sealed class ModeResource(string name) : Resource(name);
}
