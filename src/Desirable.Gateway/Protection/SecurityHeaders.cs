using Desirable.Gateway.Routing;

namespace Desirable.Gateway.Protection;

/// <summary>
/// Headers every response through the gateway carries. A backend's own content security policy is kept (the web app
/// sends one that also allows its import map by hash). API responses are data, never a page, so they get the policy
/// that forbids everything (<see cref="ApiContentSecurityPolicy"/>, as OWASP advises for REST services); anything else
/// gets a strict default a Blazor page can live with: scripts only from this origin, plus 'wasm-unsafe-eval' so the
/// .NET runtime can compile its WebAssembly; no plugins, no framing, no base-URI tricks. The Server banner is removed,
/// also from proxied responses.
/// Framing by other origins is denied everywhere; the page itself may frame its own sign-in callback, which is how
/// the OpenID Connect client renews tokens silently (X-Frame-Options SAMEORIGIN, the web app's frame-ancestors 'self').
/// </summary>
public static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: blob:; " +
        "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public const string ApiContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";

    // Static, with the response as state: a closure per request would be garbage on every call through the gateway.
    private static readonly Func<object, Task> AddHeaders = state =>
    {
        var response = (HttpResponse)state;
        var headers = response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "SAMEORIGIN";
        headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
        if (string.IsNullOrEmpty(headers.ContentSecurityPolicy))
        {
            headers.ContentSecurityPolicy = response.HttpContext.Request.Path.StartsWithSegments(GatewayRoutes.ApiPathPrefix)
                ? ApiContentSecurityPolicy
                : ContentSecurityPolicy;
        }

        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers.Remove("Server");
        return Task.CompletedTask;
    };

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        context.Response.OnStarting(AddHeaders, context.Response);
        return next(context);
    });
}
