using Amazon.Runtime;
using Aspire.Hosting.ApplicationModel;
using Desirable.AppHost.Aws;
using Desirable.AppHost.Aws.Cloud;
using Desirable.AppHost.Aws.Stacks;
using Desirable.Aws.CloudFormation;
using Desirable.Aws.Query;
using Desirable.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Desirable.AppHost.Modes;

/// <summary>What each mode puts behind the two infrastructure seams the services use: AWS and the catalog.</summary>
public static class ModeExtensions
{
    /// <summary>Which emulator container stands in for AWS in containers mode: <c>floci</c> (default) or <c>localstack</c>.</summary>
    public const string AwsEmulatorKey = "Desirable:AwsEmulator";

    /// <summary>The secret parameter holding LocalStack's auth token (user secrets or an environment variable).</summary>
    public const string LocalStackAuthTokenParameter = "localstack-auth-token";

    /// <summary><c>Desirable:Aws:Atlas=true</c>: the aws mode's Database stack creates a MongoDB Atlas cluster.</summary>
    public const string AtlasKey = "Desirable:Aws:Atlas";

    /// <summary>The database the catalog lives in, on the local server as on Atlas.</summary>
    public const string CatalogDatabaseName = "desirable";

    public static ModeSelection SelectMode(this IDistributedApplicationBuilder builder)
    {
        var selection = ModeSelection.Decide(builder.Configuration[ModeSelection.ConfigurationKey], ModeSelection.ProbeContainerRuntime);
        var properties = new List<ResourcePropertySnapshot>
        {
            new("desirable.mode", selection.Mode.ToString()),
            new("desirable.mode.reason", selection.Reason),
        };
        if (selection.Mode == DesirableMode.Containers)
        {
            properties.Add(new("desirable.aws-emulator", AwsEmulatorOf(builder).ToString()));
        }

        if (selection.Warning is not null)
        {
            properties.Add(new("desirable.mode.warning", selection.Warning));
        }

        // The dashboard shows the decision on a resource of its own, and the console says it at start.
        builder.AddResource(new ModeResource("mode"))
            .WithIconName("Settings")
            .ExcludeFromManifest()
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "Mode",
                State = new ResourceStateSnapshot(
                    selection.Mode.ToString(), selection.Warning is null ? KnownResourceStateStyles.Info : KnownResourceStateStyles.Warn),
                Properties = [.. properties],
            })
            .OnInitializeResource((mode, e, _) =>
            {
                e.Logger.LogInformation("Desirable runs in {Mode} mode ({Reason}).", selection.Mode, selection.Reason);
                if (selection.Warning is not null)
                {
                    e.Logger.LogWarning("{Warning}", selection.Warning);
                }

                return Task.CompletedTask;
            });

        // The console says it too, before anything starts: without a runtime, Aspire would wait on containers silently.
        builder.Eventing.Subscribe<BeforeStartEvent>((e, _) =>
        {
            var logger = e.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Desirable.AppHost.Mode");
            logger.LogInformation("Desirable runs in {Mode} mode ({Reason}).", selection.Mode, selection.Reason);
            if (selection.Warning is not null)
            {
                logger.LogWarning("{Warning}", selection.Warning);
            }

            return Task.CompletedTask;
        });

        return selection;
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
            DesirableMode.Embedded => builder.AddFauxqs("aws",
                emulatorDirectory: Path.Combine(builder.AppHostDirectory, "Emulator"),
                dataDirectory: Path.Combine(dataDirectory, "aws")),
            DesirableMode.Containers => AwsEmulatorOf(builder) switch
            {
                AwsEmulatorImage.LocalStack => builder.AddLocalStack("aws", builder.AddLocalStackAuthToken())
                    .WithDataVolume()
                    .WithLifetime(ContainerLifetime.Persistent),
                _ => builder.AddFloci("aws")
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
        return new AwsResources { Emulator = emulator, Media = media };
    }

    public static IResourceBuilder<IResourceWithConnectionString> AddCatalog(
        this IDistributedApplicationBuilder builder, ModeSelection selection, string dataDirectory, AwsResources aws) => selection.Mode switch
        {
            DesirableMode.Aws => builder.AddCloudCatalog("catalog", aws.Database!, aws.Account!.Resource.Settings),
            DesirableMode.Embedded => builder.AddSqliteCatalog("catalog", Path.Combine(dataDirectory, "catalog", "catalog.db")),
            DesirableMode.Containers => builder.AddMongoDB("mongo")
                .WithDataVolume()
                .WithLifetime(ContainerLifetime.Persistent)
                .AddDatabase("catalog", CatalogDatabaseName),
            _ => throw new NotSupportedException($"No catalog for {selection.Mode} mode."),
        };

    private static AwsEmulatorImage AwsEmulatorOf(IDistributedApplicationBuilder builder) =>
        builder.Configuration[AwsEmulatorKey]?.Trim().ToLowerInvariant() switch
        {
            null or "" or "floci" => AwsEmulatorImage.Floci,
            "localstack" => AwsEmulatorImage.LocalStack,
            var other => throw new InvalidOperationException(
                $"Unknown {AwsEmulatorKey} '{other}'. Use 'floci' (no account needed) or 'localstack' (needs an auth token)."),
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
                $"{AwsEmulatorKey}=floci, which needs none.");

        if (string.IsNullOrWhiteSpace(builder.Configuration[$"Parameters:{LocalStackAuthTokenParameter}"]))
        {
            const string Message =
                "LocalStack needs an auth token and none is configured. Enter it in the dashboard, or run " +
                "'dotnet user-secrets set Parameters:{Parameter} <token> --project src/Desirable.AppHost', or start " +
                "with --{Key}=floci, which needs no token.";
            builder.Eventing.Subscribe<InitializeResourceEvent>(token.Resource, (e, _) =>
            {
                e.Logger.LogWarning(Message, LocalStackAuthTokenParameter, AwsEmulatorKey);
                return Task.CompletedTask;
            });
            builder.Eventing.Subscribe<BeforeStartEvent>((e, _) =>
            {
                e.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Desirable.AppHost.Mode")
                    .LogWarning(Message, LocalStackAuthTokenParameter, AwsEmulatorKey);
                return Task.CompletedTask;
            });
        }

        return token;
    }

    /// <summary>Carries the mode decision into the dashboard.</summary>
    private sealed class ModeResource(string name) : Resource(name);
}
