using Amazon.CDK;
using Amazon.CDK.AWS.SecretsManager;
using Amazon.CDK.AWS.SSM;
using Constructs;
using CfnParameter = Amazon.CDK.CfnParameter;
using CfnParameterProps = Amazon.CDK.CfnParameterProps;

namespace Desirable.Infrastructure;

/// <summary>
/// The Auth0 tenant a stage signs in with: domain, API audience and the web app's client id as SSM parameters (not
/// secrets: the browser sees all three), and a confidential client's secret, when there is one, in Secrets Manager.
/// The tenant itself is configured in Auth0 (the README says how).
/// </summary>
public sealed class AuthStack : Stack
{
    public AuthStack(Construct scope, string id, StageSettings settings)
        : base(scope, id, DesirableStacks.PropsFor(settings, id, "Auth0 settings"))
    {
        var domain = new CfnParameter(this, "Auth0Domain", new CfnParameterProps
        {
            Type = "String",
            AllowedPattern = "^[A-Za-z0-9.-]+$",
            ConstraintDescription = "a host name such as your-tenant.eu.auth0.com, without https://",
            Description = "The Auth0 tenant's domain.",
        });
        var audience = new CfnParameter(this, "Auth0Audience", new CfnParameterProps
        {
            Type = "String",
            MinLength = 1,
            Description = "The identifier of the Auth0 API the tokens are issued for.",
        });
        var clientId = new CfnParameter(this, "Auth0SpaClientId", new CfnParameterProps
        {
            Type = "String",
            MinLength = 1,
            Description = "The client id of the web app's Auth0 Single Page Application.",
        });
        var clientSecret = new CfnParameter(this, "Auth0ClientSecret", new CfnParameterProps
        {
            Type = "String",
            Default = "",
            NoEcho = true,
            Description = "A confidential client's secret, if the stage has one (the web app itself needs none).",
        });

        var prefix = $"/desirable/{settings.Stage}/auth0";
        var domainParameter = new StringParameter(this, "Auth0DomainParameter", new StringParameterProps
        {
            ParameterName = $"{prefix}/domain",
            StringValue = domain.ValueAsString,
            Description = "The Auth0 tenant's domain.",
        });
        var audienceParameter = new StringParameter(this, "Auth0AudienceParameter", new StringParameterProps
        {
            ParameterName = $"{prefix}/audience",
            StringValue = audience.ValueAsString,
            Description = "The Auth0 API's identifier (the tokens' audience).",
        });
        var clientIdParameter = new StringParameter(this, "Auth0SpaClientIdParameter", new StringParameterProps
        {
            ParameterName = $"{prefix}/spa-client-id",
            StringValue = clientId.ValueAsString,
            Description = "The web app's Auth0 client id.",
        });

        var hasSecret = new CfnCondition(this, "HasClientSecret", new CfnConditionProps
        {
            Expression = Fn.ConditionNot(Fn.ConditionEquals(clientSecret.ValueAsString, "")),
        });
        var secret = new CfnSecret(this, "Auth0ClientSecretValue", new CfnSecretProps
        {
            Name = $"desirable/{settings.Stage}/auth0-client-secret",
            Description = $"The Auth0 client secret of stage {settings.Stage}.",
            SecretString = clientSecret.ValueAsString,
            KmsKeyId = DesirableStacks.Input(this, MediaOutputs.StageKeyArn, "The stage's KMS key, which encrypts the secret (Media stack).").ValueAsString,
        });
        secret.CfnOptions.Condition = hasSecret;

        _ = new CfnOutput(this, AuthOutputs.DomainParameterName, new CfnOutputProps { Value = domainParameter.ParameterName });
        _ = new CfnOutput(this, AuthOutputs.AudienceParameterName, new CfnOutputProps { Value = audienceParameter.ParameterName });
        _ = new CfnOutput(this, AuthOutputs.SpaClientIdParameterName, new CfnOutputProps { Value = clientIdParameter.ParameterName });
        _ = new CfnOutput(this, AuthOutputs.ClientSecretArn, new CfnOutputProps
        {
            Value = secret.Ref,
            Condition = hasSecret,
            Description = "The client secret's ARN; absent when the stage has none.",
        });
    }
}
