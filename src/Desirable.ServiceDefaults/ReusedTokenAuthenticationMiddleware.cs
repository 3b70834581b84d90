using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features.Authentication;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The framework's authentication middleware, with a fast path for a bearer token that passed full validation before
/// (<see cref="ValidatedTokens"/>): such a request gets the principal that token proved without a per-request
/// service scope, authentication service, JwtBearer handler and ticket, which cost the gateway more than the rest of
/// its protections together. Any other request, with or without a token, goes through
/// <see cref="AuthenticationMiddleware"/> unchanged, so a token is only ever accepted once JwtBearer accepted it.
/// </summary>
internal sealed class ReusedTokenAuthenticationMiddleware(RequestDelegate next, IAuthenticationSchemeProvider schemes, ValidatedTokens tokens)
{
    private const string BearerPrefix = "Bearer ";

    private readonly AuthenticationMiddleware _authenticate = new(next, schemes);

    public Task Invoke(HttpContext context)
    {
        if (context.Request.Headers.Authorization is not [{ } authorization] ||
            !authorization.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase) ||
            tokens.Find(authorization.AsSpan(BearerPrefix.Length).Trim()) is not { } principal)
        {
            return _authenticate.Invoke(context);
        }

        // What AuthenticationMiddleware leaves behind after a success: the user, and the result authorization reads
        // (a ticket of its own per request: a ticket's properties can change).
        context.User = principal;
        var authentication = new ReusedAuthentication(AuthenticateResult.Success(new AuthenticationTicket(principal, JwtBearerDefaults.AuthenticationScheme)));
        context.Features.Set<IHttpAuthenticationFeature>(authentication);
        context.Features.Set<IAuthenticateResultFeature>(authentication);
        return next(context);
    }

    /// <summary>Like the framework's own feature: setting the user drops the result, setting the result sets the user.</summary>
    private sealed class ReusedAuthentication(AuthenticateResult result) : IHttpAuthenticationFeature, IAuthenticateResultFeature
    {
        private ClaimsPrincipal? _user = result.Principal;
        private AuthenticateResult? _result = result;

        public ClaimsPrincipal? User
        {
            get => _user;
            set
            {
                _user = value;
                _result = null;
            }
        }

        public AuthenticateResult? AuthenticateResult
        {
            get => _result;
            set
            {
                _result = value;
                _user = value?.Principal;
            }
        }
    }
}
