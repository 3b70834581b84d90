using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Microsoft.Extensions.Hosting;

public static partial class Extensions
{
    /// <summary>The configuration section the AppHost fills: <c>Identity:Authority</c> and <c>Identity:Audience</c>.</summary>
    public const string IdentitySectionName = "Identity";

    /// <summary>Auth0 signs with RS256 only; accepting anything else invites algorithm-confusion attacks.</summary>
    private static readonly string[] AcceptedAlgorithms = [SecurityAlgorithms.RsaSha256];

    /// <summary>
    /// Validates bearer tokens from the configured issuer: Auth0 in production (<c>https://{domain}/</c>), the local
    /// issuer in development. One code path for both: discovery and signing keys come from the authority, and the
    /// issuer, audience, lifetime and signature are all checked. Claims keep their JWT names (<c>sub</c>,
    /// <c>permissions</c>), as Auth0 sends them. A token's validation is reused while it lasts (at most five minutes,
    /// see <see cref="ValidatedTokens"/>) by <see cref="UseJwtBearerAuthentication"/>, which takes the place of
    /// <c>UseAuthentication</c>.
    /// </summary>
    public static TBuilder AddJwtBearerAuthentication<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var section = builder.Configuration.GetSection(IdentitySectionName);
        var authority = section["Authority"];
        var audience = section["Audience"];
        if (string.IsNullOrWhiteSpace(authority) || string.IsNullOrWhiteSpace(audience))
        {
            throw new InvalidOperationException(
                $"{IdentitySectionName}:Authority and {IdentitySectionName}:Audience must be set: run the service through Desirable.AppHost, " +
                "which points them at the local issuer or at Auth0.");
        }

        if (!Uri.TryCreate(authority, UriKind.Absolute, out var authorityUri) ||
            (authorityUri.Scheme != Uri.UriSchemeHttps && !(authorityUri.Scheme == Uri.UriSchemeHttp && authorityUri.IsLoopback)))
        {
            // Plain HTTP would let anyone on the path swap the signing keys; only the local issuer on loopback may use it.
            throw new InvalidOperationException($"{IdentitySectionName}:Authority must be an https URL (http only on loopback), not '{authority}'.");
        }

        builder.Services.AddSingleton(services => new ValidatedTokens(services.GetService<TimeProvider>() ?? TimeProvider.System));
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<ValidatedTokens>((options, validated) => options.Events = validated.Events());
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(options =>
            {
                options.Authority = authority;
                options.Audience = audience;
                options.RequireHttpsMetadata = authorityUri.Scheme == Uri.UriSchemeHttps;
                options.MapInboundClaims = false;
                options.TokenValidationParameters.ValidAlgorithms = AcceptedAlgorithms;
                options.TokenValidationParameters.ValidateIssuer = true;
                options.TokenValidationParameters.ValidateAudience = true;
                options.TokenValidationParameters.ValidateLifetime = true;
                options.TokenValidationParameters.ValidateIssuerSigningKey = true;
                options.TokenValidationParameters.RequireSignedTokens = true;
                options.TokenValidationParameters.RequireExpirationTime = true;
                options.TokenValidationParameters.ClockSkew = TimeSpan.FromSeconds(30);
                options.TokenValidationParameters.NameClaimType = JwtRegisteredClaimNames.Sub;
            });
        builder.Services.AddAuthorization();
        return builder;
    }

    /// <summary>
    /// <c>UseAuthentication</c>, plus the reuse of tokens that passed validation before (see
    /// <see cref="ReusedTokenAuthenticationMiddleware"/>). Use it instead of <c>UseAuthentication</c>.
    /// </summary>
    public static IApplicationBuilder UseJwtBearerAuthentication(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // The marker UseAuthentication sets: without it, WebApplication would put a second authentication middleware
        // in front of the pipeline, and every request would be authenticated the slow way before reaching this one.
        app.Properties[AuthenticationMiddlewareSetKey] = true;
        return app.UseMiddleware<ReusedTokenAuthenticationMiddleware>();
    }

    private const string AuthenticationMiddlewareSetKey = "__AuthenticationMiddlewareSet";
}
