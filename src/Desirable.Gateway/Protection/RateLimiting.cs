using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Desirable.Contracts;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Desirable.Gateway.Protection;

/// <summary>The gateway's rate limiter: 429 with <c>Retry-After</c> and a problem detail once a client's window is used up.</summary>
public static class RateLimiting
{
    public static IServiceCollection AddGatewayRateLimiting(this IServiceCollection services, RateLimitOptions limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        // One options object and one factory for every partition: the partition lookup runs on every request.
        var window = new FixedWindowRateLimiterOptions
        {
            PermitLimit = limits.PermitLimit,
            Window = limits.Window,
            QueueLimit = 0,
            AutoReplenishment = true,
        };
        Func<Client, FixedWindowRateLimiterOptions> windowFor = _ => window;
        return services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, Client>(context =>
                IsHealthProbe(context)
                    ? RateLimitPartition.GetNoLimiter(Client.HealthProbe)
                    : RateLimitPartition.GetFixedWindowLimiter(PartitionKey(context), windowFor));
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = async (rejection, cancellationToken) =>
            {
                var retryAfter = rejection.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : limits.Window;
                var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
                rejection.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await Results.Problem(
                    title: "Too many requests",
                    detail: $"At most {limits.PermitLimit} requests per {limits.Window.TotalSeconds:0} s. Try again in {seconds} s.",
                    statusCode: StatusCodes.Status429TooManyRequests).ExecuteAsync(rejection.HttpContext);
            };
        });
    }

    /// <summary>A signed-in user by subject (however many addresses they use), otherwise the client's address.</summary>
    public static Client PartitionKey(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var subject = context.User.FindFirstValue(JwtRegisteredClaimNames.Sub) ?? context.User.FindFirstValue(ClaimTypes.NameIdentifier);
        return subject is not null
            ? new Client(ClientKind.User, subject)
            : new Client(ClientKind.Address, context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
    }

    public enum ClientKind
    {
        HealthProbe,
        User,
        Address,
    }

    /// <summary>Whom a window counts for; a value, so finding a caller's window allocates nothing.</summary>
    public readonly record struct Client(ClientKind Kind, string Id)
    {
        public static readonly Client HealthProbe = new(ClientKind.HealthProbe, "");
    }

    private static bool IsHealthProbe(HttpContext context) =>
        context.Request.Path.StartsWithSegments(HealthPaths.Health) || context.Request.Path.StartsWithSegments(HealthPaths.Alive);
}
