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
    public void OldImagesExpire() =>
        stage.Registry.HasResourceProperties("AWS::ECR::Repository", Props(("LifecyclePolicy", Match.ObjectLike(Props(
            ("LifecyclePolicyText", Match.StringLikeRegexp($"\"countNumber\":{RegistryStack.KeptImages}")))))));
}
