using Microsoft.Extensions.Configuration;

namespace Desirable.AppHost;

public static class GatewayExtensions
{
    /// <summary>
    /// Passes <c>Desirable:Cors:AllowedOrigins</c> (browser origins other than the gateway's own that may call the
    /// API, as in version 2's API Gateway) to the gateway. Without it, only same-origin pages can call the API.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithCorsOrigins(
        this IResourceBuilder<ProjectResource> gateway, IConfiguration configuration)
    {
        var origins = configuration.GetSection("Desirable:Cors:AllowedOrigins").Get<string[]>() ?? [];
        for (var i = 0; i < origins.Length; i++)
        {
            gateway.WithEnvironment($"Cors__AllowedOrigins__{i}", origins[i]);
        }

        return gateway;
    }
}
