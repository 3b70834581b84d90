using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Desirable.Contracts;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Desirable.Gateway.Protection;

/// <summary>The gateway's rate limiter: 429 with <c>Retry-After</c> and a problem detail once a client's window is used up.</summary>
public static class RateLimiting
{
    /// <summary>
    /// One window per client. The limiter is the gateway's own rather than ASP.NET Core's rate limiting middleware:
    /// that middleware always builds a partitioned limiter for endpoint policies, whose 100 ms heartbeat alone kept an
    /// idle gateway at 1.3% of a core.
    /// </summary>
    public static IServiceCollection AddGatewayRateLimiting(this IServiceCollection services, RateLimitOptions limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        // Health probes are never limited; everyone else gets a window of their own.
        return services.AddSingleton(services => new ClientWindowLimiter(
            limits, context => IsHealthProbe(context) ? null : Partition(context), services.GetService<TimeProvider>() ?? TimeProvider.System));
    }

    /// <summary>Refuses a request over its client's window: 429, <c>Retry-After</c> and a problem detail.</summary>
    public static IApplicationBuilder UseGatewayRateLimiting(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var limiter = app.ApplicationServices.GetRequiredService<ClientWindowLimiter>();
        var limits = limiter.Limits;
        return app.Use(async (context, next) =>
        {
            using var lease = limiter.AttemptAcquire(context);
            if (lease.IsAcquired)
            {
                await next(context);
                return;
            }

            var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : limits.Window;
            var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            await Results.Problem(
                title: "Too many requests",
                detail: $"At most {(IsBrowserFile(context) ? limits.AssetPermitLimit : limits.PermitLimit)} requests per {limits.Window.TotalSeconds:0} s. Try again in {seconds} s.",
                statusCode: StatusCodes.Status429TooManyRequests).ExecuteAsync(context);
        });
    }

    /// <summary>The caller's window: the one of files the browser loads (framework files, signed media reads), or the one of every other request (<see cref="PartitionKey"/>).</summary>
    public static Client Partition(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var client = PartitionKey(context);
        return IsBrowserFile(context) ? client with { Kind = client.Kind == ClientKind.User ? ClientKind.UserAssets : ClientKind.AddressAssets } : client;
    }

    /// <summary>
    /// A signed-in user by subject (however many addresses they use), otherwise the client's address. An IPv6 client
    /// counts by its /64 network: one subscriber or host gets a whole /64, so counting single addresses would let it
    /// take a fresh window, and a fresh entry in the limiter, for every request.
    /// </summary>
    public static Client PartitionKey(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var subject = context.User.FindFirstValue(JwtRegisteredClaimNames.Sub) ?? context.User.FindFirstValue(ClaimTypes.NameIdentifier);
        return subject is not null
            ? new Client(ClientKind.User, subject)
            : new Client(ClientKind.Address, AddressKey(context.Connection.RemoteIpAddress));
    }

    private static string AddressKey(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4().ToString();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return $"{new IPAddress(bytes)}/64";
    }

    public enum ClientKind
    {
        User,
        Address,

        /// <summary>A user's requests for files the browser loads (framework files, signed media reads), counted apart (<see cref="RateLimitOptions.AssetPermitLimit"/>).</summary>
        UserAssets,

        /// <summary>An address's requests for files the browser loads.</summary>
        AddressAssets,
    }

    /// <summary>Whom a window counts for; a value, so finding a caller's window allocates nothing.</summary>
    public readonly record struct Client(ClientKind Kind, string Id);

    // Files the browser loads by the hundred: the web app's framework files, and media bytes through signed URLs (a
    // gallery scrolled through a large library loads a thumbnail per item, anonymously, so in the address's window).
    // GET and HEAD only. A made-up signature only moves a request into this window, which has its own limit, and the
    // media service refuses it. The query is parsed only below an item's path: the list (GET /v3.0/media?limit=…), the
    // API's busiest call, passes without it.
    private static bool IsBrowserFile(HttpContext context) =>
        (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)) &&
        (context.Request.Path.StartsWithSegments("/_framework", StringComparison.OrdinalIgnoreCase) ||
         context.Request.Path.StartsWithSegments("/_content", StringComparison.OrdinalIgnoreCase) ||
         (context.Request.Path.StartsWithSegments(ApiPaths.Media, StringComparison.OrdinalIgnoreCase, out var item) && item.HasValue &&
          context.Request.Query.ContainsKey(SignedUrlQuery.Signature)));

    // Only the gateway's own endpoints, exactly: anything below them (/health/x) is proxied to the web app like any
    // other path, so it counts like any other request.
    private static bool IsHealthProbe(HttpContext context) =>
        context.Request.Path.Equals(HealthPaths.Health, StringComparison.OrdinalIgnoreCase) ||
        context.Request.Path.Equals(HealthPaths.Alive, StringComparison.OrdinalIgnoreCase);
}
