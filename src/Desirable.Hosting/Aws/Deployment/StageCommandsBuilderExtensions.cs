#pragma warning disable ASPIREPIPELINES001 // Aspire's pipeline API is marked experimental in 13.6.
#pragma warning disable ASPIREINTERACTION001
#pragma warning disable ASPIREPIPELINES004 // IPipelineOutputService: the folder aspire publish -o names.

using System.Globalization;
using System.Text;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Pipelines;
using Desirable.Aws.CloudFormation;
using Desirable.Aws.Query;
using Desirable.Hosting.Aws.Cloud;
using Desirable.Hosting.Aws.Deployment;
using Desirable.Hosting.Aws.Deployment.Ffmpeg;
using Desirable.Hosting.Aws.Stacks;
using Desirable.Hosting.Tools;
using Desirable.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Aspire.Hosting;

/// <summary>
/// A stage on AWS through Aspire's own pipeline commands: <c>aspire publish</c> writes every stack's template,
/// <c>aspire do diff</c> shows the plan, <c>aspire deploy</c> applies it after a confirmation, <c>aspire destroy</c>
/// deletes the stage's stacks. The stage, profile and region are the aws mode's parameters; <c>--stack Api</c> chooses
/// one stack and <c>--yes</c> skips the question (see <see cref="StageCommandArguments"/>).
/// </summary>
public static class StageCommandsBuilderExtensions
{
    public const string PublishStep = "publish-stacks";
    public const string DiffStep = "diff";
    public const string DeployStep = "deploy-stage";
    public const string RemoveStep = "remove-stage";

    public static IDistributedApplicationBuilder AddStageCommands(this IDistributedApplicationBuilder builder, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configuration = builder.Configuration;
        var appHostDirectory = builder.AppHostDirectory;
        builder.Pipeline.AddStep(PublishStep, context => PlainlyAsync(context, () => PublishAsync(context, configuration)), requiredBy: WellKnownPipelineSteps.Publish);
        builder.Pipeline.AddStep(DiffStep, context => PlainlyAsync(context, () => DiffAsync(context, configuration, dataDirectory, appHostDirectory)));
        builder.Pipeline.AddStep(DeployStep, context => PlainlyAsync(context, () => DeployAsync(context, configuration, dataDirectory, appHostDirectory)), requiredBy: WellKnownPipelineSteps.Deploy);
        builder.Pipeline.AddStep(RemoveStep, context => PlainlyAsync(context, () => RemoveAsync(context, configuration, dataDirectory, appHostDirectory)), requiredBy: WellKnownPipelineSteps.Destroy);
        return builder;
    }

    /// <summary>A step whose network failure reads as one: the exception (with its stack) goes to the log.</summary>
    private static async Task PlainlyAsync(PipelineStepContext context, Func<Task> step)
    {
        try
        {
            await step();
        }
        catch (HttpRequestException e)
        {
            context.Logger.LogError(e, "An AWS endpoint could not be reached.");
            throw new StackDeploymentException($"AWS could not be reached ({e.Message}). Check the network and the region, then run the command again.", e);
        }
    }

    private static async Task PublishAsync(PipelineStepContext context, IConfiguration configuration)
    {
        var (settings, stage) = Stage(configuration);
        var output = context.Services.GetRequiredService<IPipelineOutputService>().GetOutputDirectory();
        var directory = await Synthesize(stage, settings, output, context.CancellationToken);
        context.ReportingStep.Log(LogLevel.Information, $"Wrote the templates of stage {stage} to {directory}: " +
            string.Join(", ", StageCommands.StackOrder.Select(s => $"{s}.template.json")) + ".");
    }

    private static async Task DiffAsync(PipelineStepContext context, IConfiguration configuration, string dataDirectory, string appHostDirectory)
    {
        var (commands, stage, chosen, values) = await PrepareAsync(context, configuration, dataDirectory, appHostDirectory, needsInputs: true);
        var plan = await commands.DiffAsync(stage, chosen, values, context.CancellationToken);
        context.ReportingStep.Log(LogLevel.Information, (plan.ChangesAnything ? "Deploying would change:" : "Nothing to deploy; the stage is as its templates say:") +
            Environment.NewLine + plan.Describe());
    }

    private static async Task DeployAsync(PipelineStepContext context, IConfiguration configuration, string dataDirectory, string appHostDirectory)
    {
        var (commands, stage, chosen, values) = await PrepareAsync(context, configuration, dataDirectory, appHostDirectory, needsInputs: true);
        var result = await commands.DeployAsync(stage, chosen, values, async (plan, cancellationToken) =>
        {
            context.ReportingStep.Log(LogLevel.Information, "The plan:" + Environment.NewLine + plan.Describe());
            return await ConfirmAsync(context, "Deploy the stage?", plan.Losses.Count > 0
                ? "The plan replaces or removes resources that hold data (marked !). Apply it?"
                : "Apply the plan above?", cancellationToken);
        }, context.CancellationToken);

        context.ReportingStep.Log(LogLevel.Information, result.Outcome switch
        {
            StageDeployOutcome.NothingToDo => "Nothing to deploy; the stage is as its templates say." +
                (result.SiteFiles > 0 ? $" The web client's {result.SiteFiles} files were written again." : ""),
            StageDeployOutcome.Declined => "Not deployed; nothing changed.",
            _ => Outputs(result),
        });
    }

    private static async Task RemoveAsync(PipelineStepContext context, IConfiguration configuration, string dataDirectory, string appHostDirectory)
    {
        var (commands, _, chosen, _) = await PrepareAsync(context, configuration, dataDirectory, appHostDirectory, needsInputs: false);
        var result = await commands.RemoveAsync(chosen, (existing, cancellationToken) =>
            ConfirmAsync(context, "Remove the stage?", $"Delete {string.Join(", ", existing)}? The services stop working.", cancellationToken),
            context.CancellationToken);
        context.ReportingStep.Log(LogLevel.Information, result.Outcome switch
        {
            StageRemoveOutcome.NothingToDo => "Nothing to remove: none of the stage's stacks exists.",
            StageRemoveOutcome.Declined => "Not removed; nothing changed.",
            _ => $"Deleted {string.Join(", ", result.Removed)}." + string.Concat(result.Retained.Select(r => Environment.NewLine + "Kept: " + r)),
        });
    }

    private static async Task<(StageCommands Commands, IReadOnlyList<StackToDeploy> Stage, IReadOnlyList<StackToDeploy> Chosen, IReadOnlyDictionary<string, string> Values)> PrepareAsync(
        PipelineStepContext context, IConfiguration configuration, string dataDirectory, string appHostDirectory, bool needsInputs)
    {
        var (settings, stage) = Stage(configuration);
        context.ReportingStep.Log(LogLevel.Information, $"{settings.Description}.");
        var stacks = StageCommands.Read(await Synthesize(stage, settings, dataDirectory, context.CancellationToken), stage);
        var chosen = StageCommands.Select(stacks, stage, configuration[StageCommandArguments.StackKey]);
        var inputs = StageInputs.From(configuration, [.. chosen.Select(s => s.Tags["desirable:stack"])]);
        if (needsInputs && inputs.Missing.Count > 0)
        {
            throw new StackDeploymentException("The stage cannot be deployed without these settings:" +
                string.Concat(inputs.Missing.Select(m => Environment.NewLine + "  - " + m)));
        }

        var staging = new Lazy<TemplateStagingBucket>(() => TemplateStagingBucket.For(stage, settings));
        var access = new AwsQueryClientOptions { Profile = settings.Profile, Region = settings.Region };

        var options = new StackDeployerOptions { StageTemplateAsync = (name, body, cancellationToken) => staging.Value.StageAsync(name, body, cancellationToken) };
        // Removing needs no images (nor git).
        var images = !needsInputs ? null : new StageImages(
            new ServiceImages(new Desirable.Aws.Ecr.EcrClient(new HttpClient(), access), ToolProcess.RunAsync, context.Logger),
            [.. RegistryStack.Services.Select(service => new ServiceImage(service, ProjectPath(context.Model, service),
                service == RegistryStack.Processor ? cancellationToken => FfmpegPropertiesAsync(context, dataDirectory, cancellationToken) : null))],
            stage,
            await ServiceImages.TagAsync(appHostDirectory, ToolProcess.RunAsync, TimeProvider.System, context.CancellationToken));
        var web = !chosen.Any(s => s.Tags["desirable:stack"] == DesirableStacks.Web) ? null
            : needsInputs ? await PublishWebAsync(context, stage, access, inputs.Values, dataDirectory, appHostDirectory)
            : new StageWeb("", (_, _) => Task.FromResult(0), (bucket, cancellationToken) => Site(context, access).EmptyAsync(bucket, cancellationToken));
        var commands = new StageCommands(
            region => new CloudFormationClient(new HttpClient(), new AwsQueryClientOptions { Profile = settings.Profile, Region = region ?? settings.Region }),
            options, context.Logger, images, web);
        return (commands, stacks, chosen, inputs.Values);
    }

    /// <summary>The processor's image carries Debian's ffmpeg: the bundle, built (or found) before the image is.</summary>
    private static async Task<IReadOnlyDictionary<string, string>> FfmpegPropertiesAsync(PipelineStepContext context, string dataDirectory, CancellationToken cancellationToken)
    {
        context.ReportingStep.Log(LogLevel.Information, $"The processor's ffmpeg: Debian's {FfmpegBundle.Manifest.Ffmpeg}…");
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
        var bundle = await new FfmpegBundle(http, FfmpegBundle.Sources.Debian, context.Logger)
            .EnsureAsync(FfmpegBundle.Manifest, Path.Combine(dataDirectory, "ffmpeg"), cancellationToken);
        return new Dictionary<string, string> { [FfmpegBundle.BundleProperty] = bundle };
    }

    /// <summary>Publishes the web client (Release) and makes its policy; its files go to the Web stack's bucket after the stack.</summary>
    private static async Task<StageWeb> PublishWebAsync(
        PipelineStepContext context, StageName stage, AwsQueryClientOptions access,
        IReadOnlyDictionary<string, string> values, string dataDirectory, string appHostDirectory)
    {
        context.ReportingStep.Log(LogLevel.Information, "Publishing the web client (Release)…");
        var site = await StageSite.PublishAsync(StageSite.ClientProject(appHostDirectory), Path.Combine(dataDirectory, "web", stage.Value), ToolProcess.RunAsync, context.CancellationToken);
        var clientSettings = StageSite.ClientSettings(values["Auth0Domain"], values["Auth0SpaClientId"], values["Auth0Audience"]);
        return new StageWeb(
            StageSite.ContentSecurityPolicy(site, values["Auth0Domain"]),
            (bucket, cancellationToken) => Site(context, access).UploadAsync(bucket, site, clientSettings, cancellationToken));
    }

    /// <summary>The site's bucket with the stage's credentials, in the stage's region.</summary>
    private static StageSite Site(PipelineStepContext context, AwsQueryClientOptions access)
    {
        var s3Access = Desirable.Aws.AwsServiceAccess.Resolve("s3", access);
        return new StageSite(new Amazon.S3.AmazonS3Client(s3Access.Credentials, Amazon.RegionEndpoint.GetBySystemName(s3Access.Region)), context.Logger);
    }

    /// <summary>The project an AppHost resource runs, whose image the Api stack runs under the same name.</summary>
    private static string ProjectPath(DistributedApplicationModel model, string service) =>
        model.Resources.OfType<ProjectResource>().SingleOrDefault(r => r.Name == service)?.GetProjectMetadata().ProjectPath
        ?? throw new StackDeploymentException($"The AppHost has no project resource \"{service}\", whose image the Api stack runs.");

    private static (AwsAccountSettings Settings, StageName Stage) Stage(IConfiguration configuration)
    {
        var settings = AwsAccountSettings.From(configuration);
        return settings.Stage is { } stage
            ? (settings, stage)
            : throw new StackDeploymentException($"{settings.StageError} Choose the stage with --stage <name>.");
    }

    private static async Task<string> Synthesize(StageName stage, AwsAccountSettings settings, string directory, CancellationToken cancellationToken)
    {
        try
        {
            return await StackTemplates.SynthesizeAsync(stage, settings.Disposable, directory, cancellationToken);
        }
        catch (StackSynthesisException e)
        {
            throw new StackDeploymentException($"{e.Message}{Environment.NewLine}{e.ToolOutput}", e);
        }
    }

    private static async Task<bool> ConfirmAsync(PipelineStepContext context, string title, string question, CancellationToken cancellationToken)
    {
        if (context.Services.GetRequiredService<IOptions<PipelineOptions>>().Value.SkipConfirmation)
        {
            return true;
        }

        var interaction = context.Services.GetRequiredService<IInteractionService>();
        if (!interaction.IsAvailable)
        {
            throw new StackDeploymentException($"{question} Nobody can be asked here (a non-interactive run): add --yes to go ahead without asking.");
        }

        var answer = await interaction.PromptConfirmationAsync(title, question, cancellationToken: cancellationToken);
        return !answer.Canceled && answer.Data;
    }

    private static string Outputs(StageDeployResult result)
    {
        var text = new StringBuilder("Deployed.");
        foreach (var (key, value) in result.Outputs)
        {
            text.AppendLine().Append(CultureInfo.InvariantCulture, $"  {key}: {(key == ApiOutputs.LoadBalancerDnsName ? $"http://{value}" : value)}");
        }

        if (result.SiteFiles > 0)
        {
            text.AppendLine().Append(CultureInfo.InvariantCulture, $"The web client's {result.SiteFiles} files are in the site's bucket.");
        }

        return text.ToString();
    }
}
