namespace Desirable.Infrastructure;

/// <summary>The Web stack's output keys (see <see cref="MediaOutputs"/> for why they are a contract).</summary>
public static class WebOutputs
{
    /// <summary>The site's address: its own domain, or the distribution's.</summary>
    public const string SiteUrl = "SiteUrl";

    public const string DistributionId = "DistributionId";

    /// <summary>The bucket the deployment writes the published web client to.</summary>
    public const string WebBucketName = "WebBucketName";
}
