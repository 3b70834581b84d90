namespace Desirable.Gateway.Routing;

/// <summary>The <c>Uploads</c> section, shared with the media service so the two limits cannot drift apart.</summary>
public sealed class UploadLimitOptions
{
    public const string SectionName = "Uploads";

    public long MaxFileSizeBytes { get; set; } = 100L * 1024 * 1024;

    /// <summary>Same allowance for multipart framing as the media service.</summary>
    public long MaxRequestBodyBytes => MaxFileSizeBytes + 64 * 1024;
}

/// <summary>The <c>Cors</c> section: browser origins (other than the gateway's own) allowed to call the API.</summary>
public sealed class CorsOptions
{
    public const string SectionName = "Cors";

    public string[] AllowedOrigins { get; set; } = [];
}
