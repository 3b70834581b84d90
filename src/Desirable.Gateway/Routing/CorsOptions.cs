namespace Desirable.Gateway.Routing;

/// <summary>The <c>Cors</c> section: browser origins (other than the gateway's own) allowed to call the API.</summary>
public sealed class CorsOptions
{
    public const string SectionName = "Cors";

    public string[] AllowedOrigins { get; set; } = [];
}
