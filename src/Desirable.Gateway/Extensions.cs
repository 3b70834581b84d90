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
        var protections = GatewayProtections.From(builder.Configuration, builder.Environment);
        builder.Services.AddSingleton(protections);

        builder.Services.AddProblemDetails();

        // No "Server: Kestrel" banner: it tells an attacker what to look up.
        builder.Services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(kestrel => kestrel.AddServerHeader = false);

        if (protections.Authentication)
        {
            // Bad tokens stop here; the media service validates again and decides what each caller may do.
            builder.AddJwtBearerAuthentication();
            builder.Services.AddAuthorizationBuilder()
                .AddPolicy(GatewayRoutes.AuthenticatedPolicyName, policy => policy.RequireAuthenticatedUser());
        }

        if (protections.RateLimiting)
        {
            builder.Services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
            builder.Services.AddGatewayRateLimiting(builder.Configuration.GetSection(RateLimitOptions.SectionName).Get<RateLimitOptions>() ?? new());
        }

        if (protections.Cors)
        {
            // As in version 2's API Gateway: configured origins, the four verbs the API uses, any request header.
            builder.Services.AddCors(options => options.AddPolicy(GatewayRoutes.CorsPolicyName, policy => policy
                .WithOrigins(cors.AllowedOrigins)
                .WithMethods("GET", "POST", "PUT", "DELETE")
                .AllowAnyHeader()
                .WithExposedHeaders("Location", "Content-Range", "Accept-Ranges", "ETag")));
        }

        // YARP adds X-Forwarded-For/Proto/Host/Prefix to proxied requests by default. The gateway itself trusts
        // forwarded headers from loopback and from the networks configured for its load balancer.
        var forwarded = builder.Configuration.GetSection(ForwardedHeadersSettings.SectionName).Get<ForwardedHeadersSettings>() ?? new();
        forwarded.ApplyTo(new ForwardedHeadersOptions()); // Checked now, so a bad network stops the start with the reason.
        builder.Services.Configure<ForwardedHeadersOptions>(forwarded.ApplyTo);

        builder.Services.AddReverseProxy()
            .LoadFromMemory(GatewayRoutes.Routes(uploads.MaxRequestBodyBytes, protections), GatewayRoutes.Clusters())
            .AddServiceDiscoveryDestinationResolver();

        return builder;
    }

    /// <summary>The gateway's pipeline, in its order, with the protections <see cref="AddGateway"/> registered.</summary>
    public static WebApplication UseGateway(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var protections = app.Services.GetRequiredService<GatewayProtections>();

        app.UseForwardedHeaders();
        app.UseViewerAddress(app.Configuration.GetSection(ForwardedHeadersSettings.SectionName).Get<ForwardedHeadersSettings>()?.OriginSecret);
        if (protections.SecurityHeaders)
        {
            app.UseSecurityHeaders();
        }

        app.UseExceptionHandler();
        app.UseStatusCodePages();
        if (protections.Cors)
        {
            app.UseCors();
        }

        // Authentication first, so the rate limiter can count per user; anonymous and bad-token calls count per address.
        if (protections.Authentication)
        {
            app.UseJwtBearerAuthentication();
        }

        if (protections.RateLimiting)
        {
            app.UseGatewayRateLimiting();
        }

        if (protections.Authentication)
        {
            app.UseAuthorization();
        }

        app.MapDefaultEndpoints();
        app.MapReverseProxy();
        return app;
    }
}
