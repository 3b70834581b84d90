using Desirable.Contracts;
using Desirable.Gateway.Protection;
using Yarp.ReverseProxy.Configuration;

namespace Desirable.Gateway.Routing;

/// <summary>
/// The gateway's route table: the versioned API to the media service, everything else to the web app.
/// Destinations are service names ("http://media"), resolved by Aspire service discovery.
/// </summary>
public static class GatewayRoutes
{
    public const string CorsPolicyName = "api";

    /// <summary>Where the versioned API lives; everything else is the web app.</summary>
    public const string ApiPathPrefix = ApiPaths.Prefix;

    /// <summary>The API needs a valid bearer token; the web app's files do not (the page signs in itself).</summary>
    public const string AuthenticatedPolicyName = "authenticated";

    public static IReadOnlyList<RouteConfig> Routes(long maxUploadRequestBytes, GatewayProtections protections) =>
    [
        // An item's bytes and variants through a signed URL (for <img> and <video>, which send no bearer token).
        SignedRead("media-signed-content", $"{ApiPaths.Media}/{{id}}/content", protections),
        SignedRead("media-signed-variant", $"{ApiPaths.Media}/{{id}}/variants/{{name}}", protections),
        new RouteConfig
        {
            RouteId = "media-api",
            ClusterId = "media",
            Match = new RouteMatch { Path = $"{ApiPathPrefix}/{{**rest}}" },
            // Uploads stream through; the limit matches the media service's own.
            MaxRequestBodySize = maxUploadRequestBytes,
            CorsPolicy = protections.Cors ? CorsPolicyName : null,
            AuthorizationPolicy = protections.Authentication ? AuthenticatedPolicyName : null,
        },
        new RouteConfig
        {
            RouteId = "web",
            ClusterId = "web",
            // Lowest priority, so the API route always wins.
            Order = int.MaxValue,
            Match = new RouteMatch { Path = "/{**rest}" },
        },
    ];

    private static RouteConfig SignedRead(string id, string path, GatewayProtections protections) => new()
    {
        RouteId = id,
        ClusterId = "media",
        Order = -1,
        Match = new RouteMatch
        {
            Path = path,
            Methods = [HttpMethods.Get, HttpMethods.Head],
            QueryParameters = [new RouteQueryParameter { Name = SignedUrlQuery.Signature, Mode = QueryParameterMatchMode.Exists }],
        },
        CorsPolicy = protections.Cors ? CorsPolicyName : null,
    };

    public static IReadOnlyList<ClusterConfig> Clusters() =>
    [
        Cluster("media", "http://media"),
        Cluster("web", "http://web"),
    ];

    private static ClusterConfig Cluster(string id, string address) => new()
    {
        ClusterId = id,
        Destinations = new Dictionary<string, DestinationConfig> { [id] = new() { Address = address } },
    };
}
