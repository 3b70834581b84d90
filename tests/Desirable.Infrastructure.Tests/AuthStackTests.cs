using Amazon.CDK.Assertions;
using static Desirable.Infrastructure.Tests.TemplateProperties;

namespace Desirable.Infrastructure.Tests;

/// <summary>The Auth stack keeps a stage's Auth0 settings where services and the deployment can read them.</summary>
[Collection(SynthesizedStageGroup.Name)]
public sealed class AuthStackTests(SynthesizedStage stage)
{
    [Theory]
    [InlineData("domain", "Auth0Domain")]
    [InlineData("audience", "Auth0Audience")]
    [InlineData("spa-client-id", "Auth0SpaClientId")]
    public void Auth0SettingsAreParametersOfTheStage(string name, string parameter) =>
        stage.Auth.HasResourceProperties("AWS::SSM::Parameter", Props(
            ("Name", $"/desirable/alice/auth0/{name}"), ("Type", "String"), ("Value", Props(("Ref", parameter)))));

    [Fact]
    public void ClientSecretIsASecretOnlyWhenGivenAndNeverEchoed()
    {
        stage.Auth.HasParameter("Auth0ClientSecret", Props(("NoEcho", true), ("Default", "")));
        stage.Auth.HasResource("AWS::SecretsManager::Secret", Props(("Condition", "HasClientSecret")));
        stage.Auth.HasOutput(AuthOutputs.ClientSecretArn, Props(("Condition", "HasClientSecret")));
    }

    [Fact]
    public void DomainMustBeAHostName() =>
        stage.Auth.HasParameter("Auth0Domain", Props(("AllowedPattern", "^[A-Za-z0-9.-]+$")));
}
