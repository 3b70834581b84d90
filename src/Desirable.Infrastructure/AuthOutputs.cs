namespace Desirable.Infrastructure;

/// <summary>The Auth stack's output keys (see <see cref="MediaOutputs"/> for why they are a contract).</summary>
public static class AuthOutputs
{
    public const string DomainParameterName = "Auth0DomainParameterName";
    public const string AudienceParameterName = "Auth0AudienceParameterName";
    public const string SpaClientIdParameterName = "Auth0SpaClientIdParameterName";
    public const string ClientSecretArn = "Auth0ClientSecretArn";
}
