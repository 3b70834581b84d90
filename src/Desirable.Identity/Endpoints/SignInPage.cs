using System.Net;
using System.Security.Claims;
using System.Text;
using Desirable.Identity.Users;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Desirable.Identity.Endpoints;

/// <summary>
/// The local issuer's sign-in page: no passwords, a developer picks one of the seeded users, each with other
/// permissions, and is sent back to the app that asked.
/// </summary>
public static class SignInPage
{
    public static IEndpointRouteBuilder MapSignInPage(this IEndpointRouteBuilder app)
    {
        app.MapGet("/signin", Show).ExcludeFromDescription();
        app.MapPost("/signin", SignInAsync).ExcludeFromDescription();
        return app;
    }

    private static ContentHttpResult Show(HttpContext context, IAntiforgery antiforgery, [FromQuery(Name = "ReturnUrl")] string? returnUrl)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        var html = new StringBuilder("""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Sign in · Desirable (local)</title>
            <style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem}
            form{margin:.75rem 0}button{font-size:1rem;padding:.6rem 1rem;width:100%;text-align:left;cursor:pointer}
            small{display:block;color:#555}</style></head><body>
            <h1>Sign in to Desirable</h1>
            <p>Local development issuer: pick who you are. Production signs in with Auth0.</p>
            """);
        foreach (var user in DevelopmentUsers.All)
        {
            html.Append(CultureInvariant($"""
                <form method="post" action="/signin">
                <input type="hidden" name="{tokens.FormFieldName}" value="{Encode(tokens.RequestToken ?? "")}">
                <input type="hidden" name="returnUrl" value="{Encode(returnUrl ?? "/")}">
                <input type="hidden" name="subject" value="{Encode(user.Subject)}">
                <button type="submit" id="signin-{Encode(user.Subject.Split('|')[^1])}"><strong>{Encode(user.Name)}</strong>
                <small>{Encode(user.Description)} ({Encode(string.Join(", ", user.Permissions))})</small></button>
                </form>
                """));
        }

        html.Append("</body></html>");
        return TypedResults.Content(html.ToString(), "text/html; charset=utf-8");
    }

    /// <remarks>Form parameters make the antiforgery middleware check the token: a post without it is a 400.</remarks>
    private static async Task<IResult> SignInAsync(HttpContext context, [FromForm] string subject, [FromForm] string? returnUrl)
    {
        var user = DevelopmentUsers.FindBySubject(subject);
        if (user is null)
        {
            return TypedResults.Problem(title: "Unknown user", detail: "Pick one of the users on the sign-in page.", statusCode: StatusCodes.Status400BadRequest);
        }

        // Only back into this issuer (its authorize endpoint): never an open redirect.
        var target = string.IsNullOrEmpty(returnUrl) ? "/" : returnUrl;
        if (!target.StartsWith('/') || target.StartsWith("//", StringComparison.Ordinal) || target.StartsWith("/\\", StringComparison.Ordinal))
        {
            return TypedResults.Problem(title: "Invalid return URL", detail: "The return URL must be a path on this issuer.", statusCode: StatusCodes.Status400BadRequest);
        }

        var identity = new ClaimsIdentity([new Claim(Claims.Subject, user.Subject), new Claim(Claims.Name, user.Name)], Extensions.SignInScheme);
        await context.SignInAsync(Extensions.SignInScheme, new ClaimsPrincipal(identity));
        return Results.LocalRedirect(target);
    }

    private static string Encode(string value) => WebUtility.HtmlEncode(value);

    private static string CultureInvariant(FormattableString text) => FormattableString.Invariant(text);
}
