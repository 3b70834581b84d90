using Desirable.Contracts;
using Desirable.Identity.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Desirable.Identity.Clients;

/// <summary>
/// Creates the database and registers the clients at start: the web app (public, authorization code with PKCE) and
/// one machine client per seeded user (client credentials). Registrations are updated to the current settings, so
/// a changed redirect URI takes effect on the next start.
/// </summary>
internal sealed class ClientRegistration(IServiceProvider services, IOptions<IdentityOptions> options) : IHostedService
{
    public const string WebClientId = LocalIdentity.WebClientId;
    public const string MediaScope = "media";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var database = scope.ServiceProvider.GetRequiredService<IdentityDbContext>().Database;
        var file = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(database.GetConnectionString()).DataSource;
        if (Path.GetDirectoryName(Path.GetFullPath(file)) is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
        }

        await database.EnsureCreatedAsync(cancellationToken);
        var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();

        var web = new OpenIddictApplicationDescriptor
        {
            ClientId = WebClientId,
            ClientType = ClientTypes.Public,
            DisplayName = "Desirable web app",
            Permissions =
            {
                Permissions.Endpoints.Authorization, Permissions.Endpoints.Token, Permissions.Endpoints.EndSession,
                Permissions.GrantTypes.AuthorizationCode, Permissions.ResponseTypes.Code,
                Permissions.Scopes.Profile, Permissions.Scopes.Email, Permissions.Prefixes.Scope + MediaScope,
            },
            Requirements = { Requirements.Features.ProofKeyForCodeExchange },
        };
        foreach (var uri in options.Value.WebRedirectUris)
        {
            web.RedirectUris.Add(new Uri(uri));
        }

        foreach (var uri in options.Value.WebPostLogoutRedirectUris)
        {
            web.PostLogoutRedirectUris.Add(new Uri(uri));
        }

        await UpsertAsync(applications, web, cancellationToken);

        foreach (var user in DevelopmentUsers.All)
        {
            await UpsertAsync(applications, new OpenIddictApplicationDescriptor
            {
                ClientId = user.ClientId,
                ClientSecret = user.ClientSecret,
                ClientType = ClientTypes.Confidential,
                DisplayName = $"Scripts and tests acting as {user.Name}",
                Permissions = { Permissions.Endpoints.Token, Permissions.GrantTypes.ClientCredentials, Permissions.Prefixes.Scope + MediaScope },
            }, cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static async Task UpsertAsync(IOpenIddictApplicationManager applications, OpenIddictApplicationDescriptor descriptor, CancellationToken cancellationToken)
    {
        if (await applications.FindByClientIdAsync(descriptor.ClientId!, cancellationToken) is { } existing)
        {
            await applications.UpdateAsync(existing, descriptor, cancellationToken);
        }
        else
        {
            await applications.CreateAsync(descriptor, cancellationToken);
        }
    }
}
