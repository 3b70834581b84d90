using Microsoft.AspNetCore.HttpOverrides;

namespace Desirable.Gateway.Routing;

/// <summary>
/// Whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> the gateway believes (section
/// <c>Gateway:ForwardedHeaders</c>). By default only loopback's, the framework's default: safe, but behind a load
/// balancer every caller then looks like the balancer, and all anonymous callers share one rate-limit window. In
/// AWS, list the networks the load balancer's addresses come from (the VPC's subnets), never the internet.
/// </summary>
public sealed class ForwardedHeadersSettings
{
    public const string SectionName = "Gateway:ForwardedHeaders";

    /// <summary>CIDR blocks whose proxies are trusted, such as <c>10.0.0.0/16</c>; loopback always is.</summary>
    public string[] KnownNetworks { get; set; } = [];

    /// <summary>
    /// The stage's origin secret (in AWS, from Secrets Manager): on a request that carries it, the viewer's address is
    /// CloudFront's <c>CloudFront-Viewer-Address</c> (see <see cref="ViewerAddress"/>). Unset locally.
    /// </summary>
    public string? OriginSecret { get; set; }

    /// <summary>Applies the settings; a block that is not CIDR stops the gateway with the reason.</summary>
    public void ApplyTo(ForwardedHeadersOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
        foreach (var network in KnownNetworks)
        {
            if (!System.Net.IPNetwork.TryParse(network, out var parsed))
            {
                throw new InvalidOperationException(
                    $"{SectionName}:KnownNetworks has '{network}', which is not a network in CIDR notation (such as 10.0.0.0/16).");
            }

            options.KnownIPNetworks.Add(parsed);
        }
    }
}
