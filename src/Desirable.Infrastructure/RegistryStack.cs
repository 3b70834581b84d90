using Amazon.CDK;
using Amazon.CDK.AWS.ECR;
using Constructs;

namespace Desirable.Infrastructure;

/// <summary>
/// Where a stage's container images live: one ECR repository per deployed service. A stack of its own, deployed before
/// the Api stack, because the images must be pushed before the task definitions that name them can be created.
/// </summary>
public sealed class RegistryStack : Stack
{
    public const string Gateway = "gateway";
    public const string Media = "media";

    /// <summary>The one service whose image carries ffmpeg.</summary>
    public const string Processor = "processor";

    /// <summary>The services that run as containers, by their AppHost resource names.</summary>
    public static IReadOnlyList<string> Services { get; } = [Gateway, Media, Processor];

    /// <summary>Images kept per repository; older ones are expired (a deploy references the newest by digest).</summary>
    public const int KeptImages = 20;

    public RegistryStack(Construct scope, string id, StageSettings settings)
        : base(scope, id, DesirableStacks.PropsFor(settings, id, "container image repositories"))
    {
        var stageKey = Amazon.CDK.AWS.KMS.Key.FromKeyArn(this, "StageKey",
            DesirableStacks.Input(this, MediaOutputs.StageKeyArn, "The stage's KMS key, which encrypts the images (Media stack).").ValueAsString);
        foreach (var service in Services)
        {
            var repository = new Repository(this, $"{Capitalized(service)}Repository", new RepositoryProps
            {
                RepositoryName = RepositoryName(settings.Stage, service),
                // A tag (the commit) always names the same image; deployments refer to digests anyway.
                ImageTagMutability = TagMutability.IMMUTABLE,
                ImageScanOnPush = true,
                Encryption = RepositoryEncryption.KMS,
                EncryptionKey = stageKey,
                LifecycleRules = [new LifecycleRule { MaxImageCount = KeptImages, Description = $"Keep the newest {KeptImages} images." }],
                // Images are rebuilt from the commit; a removed stage takes them along.
                RemovalPolicy = RemovalPolicy.DESTROY,
                EmptyOnDelete = true,
            });
            DesirableStacks.Output(this, RegistryOutputs.RepositoryUri(service), repository.RepositoryUri, $"The {service} image repository.");
        }

        // The tasks have no route to the internet: images they run from ECR Public (the telemetry collector) come through
        // this cache, which ECR fills on the first pull.
        _ = new CfnPullThroughCacheRule(this, "PublicImageCache", new CfnPullThroughCacheRuleProps
        {
            EcrRepositoryPrefix = CachePrefix(settings.Stage),
            UpstreamRegistry = "ecr-public",
            UpstreamRegistryUrl = "public.ecr.aws",
        });
        DesirableStacks.Output(this, RegistryOutputs.CachePrefix, CachePrefix(settings.Stage), "Where ECR keeps the images it pulled from ECR Public for the stage.");
    }

    /// <summary>desirable-{stage}-pub: at most 30 characters, as ECR allows, for the longest stage name.</summary>
    public static string CachePrefix(StageName stage) => $"desirable-{stage}-pub";

    /// <summary>desirable-{stage}/{service}.</summary>
    public static string RepositoryName(StageName stage, string service) => $"desirable-{stage}/{service}";

    /// <summary>A service's name as stack parameters and outputs spell it (media: Media).</summary>
    public static string Capitalized(string name) => string.Concat(char.ToUpperInvariant(name[0]), name[1..]);
}
