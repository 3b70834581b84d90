using Desirable.Identity.Clients;
using Desirable.Identity.Endpoints;
using Desirable.Identity.Keys;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Desirable.Identity;

public static class Extensions
{
    /// <summary>The cookie that remembers which seeded user a developer picked on the sign-in page.</summary>
    public const string SignInScheme = CookieAuthenticationDefaults.AuthenticationScheme;

    public static IHostApplicationBuilder AddIdentityServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<IdentityOptions>().BindConfiguration(IdentityOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        var settings = builder.Configuration.GetSection(IdentityOptions.SectionName).Get<IdentityOptions>() ?? new IdentityOptions();

        var connectionString = builder.Configuration.GetConnectionString("identity") ?? "Data Source=identity.db";
        builder.Services.AddDbContext<IdentityDbContext>(db =>
        {
            db.UseSqlite(connectionString);
            db.UseOpenIddict();
        });

        builder.Services.AddAuthentication(SignInScheme).AddCookie(SignInScheme, cookie =>
        {
            cookie.LoginPath = "/signin";
            cookie.Cookie.Name = "desirable-identity";
            cookie.Cookie.SameSite = SameSiteMode.Lax;
            cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
        });
        builder.Services.AddAuthorization();
        builder.Services.AddAntiforgery();

        // The web app runs in the browser on the gateway's origin and exchanges its code at the token endpoint.
        builder.Services.AddCors(cors => cors.AddDefaultPolicy(policy => policy
            .WithOrigins([.. settings.AllowedOrigins])
            .WithMethods("GET", "POST")
            .AllowAnyHeader()));

        builder.Services.AddOpenIddict()
            .AddCore(core => core.UseEntityFrameworkCore().UseDbContext<IdentityDbContext>())
            .AddServer(server =>
            {
                if (settings.Issuer is { Length: > 0 } issuer)
                {
                    server.SetIssuer(new Uri(issuer, UriKind.Absolute));
                }

                server.SetAuthorizationEndpointUris("connect/authorize")
                    .SetTokenEndpointUris("connect/token")
                    .SetEndSessionEndpointUris("connect/logout")
                    // The web app's OpenID Connect client reads the profile there after signing in, as from Auth0's /userinfo.
                    .SetUserInfoEndpointUris("connect/userinfo");
                server.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
                server.AcceptAuth0AudienceParameter(settings.Audience);
                server.AllowClientCredentialsFlow();
                server.RegisterScopes(Scopes.OpenId, Scopes.Profile, Scopes.Email, ClientRegistration.MediaScope);

                // Keys persist in the data folder: a restart keeps every token valid. RS256, like Auth0.
                server.AddSigningKey(PersistentRsaKey.LoadOrCreate(settings.KeyDirectory, "signing"));
                server.AddEncryptionKey(PersistentRsaKey.LoadOrCreate(settings.KeyDirectory, "encryption"));
                // Access tokens are plain signed JWTs, as Auth0's are, so JwtBearer validates them.
                server.DisableAccessTokenEncryption();
                server.SetAccessTokenLifetime(settings.AccessTokenLifetime);

                server.UseAspNetCore()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableTokenEndpointPassthrough()
                    .EnableEndSessionEndpointPassthrough()
                    .EnableUserInfoEndpointPassthrough()
                    // Local development runs on http://localhost; the issuer is never deployed.
                    .DisableTransportSecurityRequirement();
            });

        builder.Services.AddHostedService<ClientRegistration>();
        return builder;
    }
}
