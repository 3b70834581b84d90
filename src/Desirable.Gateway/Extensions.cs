using Desirable.Gateway.Protection;
using Desirable.Gateway.Routing;
using Microsoft.AspNetCore.HttpOverrides;

namespace Desirable.Gateway;

public static class Extensions
{
    public static IHostApplicationBuilder AddGateway(this IHostApplicationBuilder builder)
    {
        var uploads = builder.Configuration.GetSection(UploadLimitOptions.SectionName).Get<UploadLimitOptions>() ?? new();
        var cors = builder.Configuration.GetSection(CorsOptions.SectionName).Get<CorsOptions>() ?? new();

        builder.Services.AddProblemDetails();

        // Bad tokens stop here; the media service validates again and decides what each caller may do.
        builder.AddJwtBearerAuthentication();
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(GatewayRoutes.AuthenticatedPolicyName, policy => policy.RequireAuthenticatedUser());

        // No "Server: Kestrel" banner: it tells an attacker what to look up.
        builder.Services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(kestrel => kestrel.AddServerHeader = false);

        builder.Services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddGatewayRateLimiting(builder.Configuration.GetSection(RateLimitOptions.SectionName).Get<RateLimitOptions>() ?? new());

        // As in version 2's API Gateway: configured origins, the four verbs the API uses, any request header.
        builder.Services.AddCors(options => options.AddPolicy(GatewayRoutes.CorsPolicyName, policy => policy
            .WithOrigins(cors.AllowedOrigins)
            .WithMethods("GET", "POST", "PUT", "DELETE")
            .AllowAnyHeader()
            .WithExposedHeaders("Location", "Content-Range", "Accept-Ranges", "ETag")));

        // YARP adds X-Forwarded-For/Proto/Host/Prefix to proxied requests by default. The gateway itself trusts
        // forwarded headers only from loopback (a local load balancer), the framework's default.
        builder.Services.Configure<ForwardedHeadersOptions>(options =>
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto);

        builder.Services.AddReverseProxy()
            .LoadFromMemory(GatewayRoutes.Routes(uploads.MaxRequestBodyBytes), GatewayRoutes.Clusters())
            .AddServiceDiscoveryDestinationResolver();

        return builder;
    }
}
