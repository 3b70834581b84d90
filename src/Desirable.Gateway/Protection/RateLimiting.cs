using System.Globalization;
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
            limits, context => IsHealthProbe(context) ? null : PartitionKey(context), services.GetService<TimeProvider>() ?? TimeProvider.System));
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
                detail: $"At most {limits.PermitLimit} requests per {limits.Window.TotalSeconds:0} s. Try again in {seconds} s.",
                statusCode: StatusCodes.Status429TooManyRequests).ExecuteAsync(context);
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
        User,
        Address,
    }

    /// <summary>Whom a window counts for; a value, so finding a caller's window allocates nothing.</summary>
    public readonly record struct Client(ClientKind Kind, string Id);

    private static bool IsHealthProbe(HttpContext context) =>
        context.Request.Path.StartsWithSegments(HealthPaths.Health) || context.Request.Path.StartsWithSegments(HealthPaths.Alive);
}
