using Aspire.Hosting.ApplicationModel;
using Desirable.Aws.CloudFormation;
using Desirable.Aws.Query;
using Desirable.Hosting.Aws;
using Desirable.Hosting.Aws.Cloud;
using Desirable.Hosting.Aws.Stacks;
using Desirable.Hosting.Modes;
using Desirable.Hosting.SignIn;
using Desirable.Infrastructure;

namespace Aspire.Hosting;

/// <summary>The aws mode's stage: the account, the stage's stacks provisioned through CloudFormation, the Auth stack.</summary>
public static class CloudStageBuilderExtensions
{
    /// <summary>
    /// The aws mode: the stage's Media and Database stacks provisioned in the developer's account. The stage's
    /// templates are synthesized on first use (and again only when the stacks change) into the data folder.
    /// </summary>
    public static AwsResources AddCloudStage(this IDistributedApplicationBuilder builder, AwsAccountSettings settings, string dataDirectory)
    {
        var account = builder.AddAwsAccount("aws", settings);
        // Templates over CloudFormation's inline limit go through the stage's staging bucket, made on first need.
        var staging = new Lazy<TemplateStagingBucket>(() => TemplateStagingBucket.For(settings.Stage!, settings));
        var target = new CloudFormationStackTarget(
            settings.Description,
            () => new AwsQueryClientOptions { Profile = settings.Profile, Region = settings.Region },
            new StackDeployerOptions { StageTemplateAsync = (stack, body, cancellationToken) => staging.Value.StageAsync(stack, body, cancellationToken) },
            $"The AppHost takes the profile and region from --Parameters:{AwsAccountSettings.ProfileParameter}=<profile> and --Parameters:{AwsAccountSettings.RegionParameter}=<region> (or the same user secrets); start it again after setting them.");
        var synthesis = new Lazy<Task<string>>(() => settings.Stage is { } stage
            ? StackTemplates.SynthesizeAsync(stage, settings.Disposable, dataDirectory, CancellationToken.None)
            : Task.FromException<string>(new StackDeploymentException($"{settings.StageError} Set the stage with --Parameters:{AwsAccountSettings.StageParameter}=<name>.")));
        // Output keys do not depend on the stage: the build's "local" templates say them before anything is synthesized.
        var keys = StackTemplates.EmulatorDirectory(builder);
        var stage = settings.Stage ?? StackTemplates.EmulatorStage;

        IResourceBuilder<AwsStackResource> StageStack(string stack)
        {
            var added = builder.AddStageStack(stack, stage, keys, _ => synthesis.Value, target).WithParentRelationship(account);
            account.Resource.Stacks.Add(added.Resource);
            return added;
        }

        var media = StageStack(DesirableStacks.Media);
        // The stage's KMS key, made by the Media stack, encrypts the secrets of the stacks after it.
        var database = StageStack(DesirableStacks.Database)
            .WithStackParameter(MediaOutputs.StageKeyArn, media.Resource.GetOutput(MediaOutputs.StageKeyArn));
        if (bool.TryParse(builder.Configuration[ModeExtensions.AtlasKey], out var atlas) && atlas)
        {
            database
                .WithStackParameter("AtlasEnabled", ReferenceExpression.Create($"true"))
                .WithStackParameter("AtlasOrgId", builder.AddParameter("atlas-org-id")
                    .WithDescription("The MongoDB Atlas organization id the stage's project is created in.").Resource)
                .WithStackParameter("AtlasAllowedCidr", builder.AddParameter("atlas-allowed-cidr")
                    .WithDescription("The addresses allowed to reach the cluster, as a CIDR block (your public address/32).").Resource)
                .WithStackParameter("ExistingConnectionString", ReferenceExpression.Create($""));
        }
        else
        {
            var connectionString = builder.AddParameter("mongo-connection-string", secret: true)
                .WithDescription($"The catalog's MongoDB connection string (mongodb+srv://user:password@host/desirable), or set {ModeExtensions.AtlasKey}=true to create an Atlas cluster.");
            database
                .WithStackParameter("AtlasEnabled", ReferenceExpression.Create($"false"))
                .WithStackParameter("ExistingConnectionString", connectionString.Resource);
        }

        return new AwsResources { Account = account, Media = media, Database = database, AddStageStack = StageStack };
    }

    /// <summary>
    /// With Auth0 in aws mode, the stage's Auth stack keeps the tenant's settings as SSM parameters, where the
    /// deployed services will read them. The local issuer is never deployed, so it needs none.
    /// </summary>
    public static AwsResources WithAuthStack(this AwsResources aws, IDistributedApplicationBuilder builder, IdentityProvider identity)
    {
        ArgumentNullException.ThrowIfNull(aws);
        ArgumentNullException.ThrowIfNull(identity);
        if (aws.AddStageStack is not { } addStageStack || identity.Auth0Domain is not { } domain)
        {
            return aws;
        }

        var auth = addStageStack(DesirableStacks.Auth)
            .WithStackParameter("Auth0Domain", domain)
            .WithStackParameter("Auth0Audience", identity.Audience)
            .WithStackParameter("Auth0SpaClientId", identity.WebClientId)
            .WithStackParameter(MediaOutputs.StageKeyArn, aws.Media.Resource.GetOutput(MediaOutputs.StageKeyArn));
        return aws with { Auth = auth };
    }
}
