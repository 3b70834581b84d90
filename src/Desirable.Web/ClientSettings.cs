using Desirable.Contracts;

namespace Desirable.Web;

/// <summary>
/// The client's settings (<c>/client-settings.json</c>), written from this host's configuration rather than shipped in the build:
/// which issuer the page signs in at (the local one or Auth0), its public client id and the API audience. None
/// of it is secret; all of it differs between environments.
/// </summary>
public static class ClientSettings
{
    public const string Path = "/" + WebClientSettings.FileName;

    public static IEndpointRouteBuilder MapClientSettings(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var identity = app.ServiceProvider.GetRequiredService<IConfiguration>().GetSection("Identity");
        var settings = WebClientSettings.Json(identity["Authority"], identity["ClientId"], identity["Audience"]);
        app.MapGet(Path, (HttpContext context) =>
        {
            context.Response.Headers.CacheControl = SiteCaching.Revalidate;
            return TypedResults.Text(settings, "application/json");
        }).ExcludeFromDescription();
        return app;
    }

    /// <summary>The issuer's origin, which the page must be allowed to call (discovery, token endpoint) and frame (silent renewal).</summary>
    public static string? AuthorityOrigin(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return Uri.TryCreate(configuration["Identity:Authority"], UriKind.Absolute, out var authority)
            ? authority.GetLeftPart(UriPartial.Authority)
            : null;
    }
}
