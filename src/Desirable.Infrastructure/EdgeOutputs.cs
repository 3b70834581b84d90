namespace Desirable.Infrastructure;

/// <summary>The Edge stack's output keys (see <see cref="MediaOutputs"/> for why they are a contract).</summary>
public static class EdgeOutputs
{
    public const string WebAclArn = "WebAclArn";

    /// <summary>The certificate for the site's own domain, or empty without one.</summary>
    public const string CertificateArn = "CertificateArn";
}
