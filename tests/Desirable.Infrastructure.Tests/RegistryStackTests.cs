using Amazon.CDK.Assertions;
using static Desirable.Infrastructure.Tests.TemplateProperties;

namespace Desirable.Infrastructure.Tests;

/// <summary>The Registry stack: one private, scanned, encrypted repository per deployed service.</summary>
[Collection(SynthesizedStageGroup.Name)]
public sealed class RegistryStackTests(SynthesizedStage stage)
{
    [Theory]
    [InlineData("gateway")]
    [InlineData("media")]
    [InlineData("processor")]
    public void EachServiceHasARepositoryOfTheStage(string service)
    {
        stage.Registry.HasResourceProperties("AWS::ECR::Repository", Props(
            ("RepositoryName", $"desirable-alice/{service}"),
            ("ImageTagMutability", "IMMUTABLE"),
            ("ImageScanningConfiguration", Props(("ScanOnPush", true))),
            ("EncryptionConfiguration", Props(("EncryptionType", "KMS"))),
            ("EmptyOnDelete", true)));
        Assert.Contains(RegistryOutputs.RepositoryUri(service), stage.Registry.FindOutputs("*").Keys);
    }

    [Fact]
    public void PublicImagesTheTasksRunComeThroughTheStagesPullThroughCache()
    {
        stage.Registry.HasResourceProperties("AWS::ECR::PullThroughCacheRule", Props(
            ("EcrRepositoryPrefix", "desirable-alice-pub"),
            ("UpstreamRegistry", "ecr-public"),
            ("UpstreamRegistryUrl", "public.ecr.aws")));
        Assert.Contains(RegistryOutputs.CachePrefix, stage.Registry.FindOutputs("*").Keys);
        // ECR allows a prefix of at most 30 characters; the longest stage name must fit.
        Assert.True(RegistryStack.CachePrefix(StageName.Parse(new string('a', StageName.MaxLength))).Length <= 30);
    }

    [Fact]
    public void OldImagesExpire() =>
        stage.Registry.HasResourceProperties("AWS::ECR::Repository", Props(("LifecyclePolicy", Match.ObjectLike(Props(
            ("LifecyclePolicyText", Match.StringLikeRegexp($"\"countNumber\":{RegistryStack.KeptImages}")))))));
}
