using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Desirable.MediaService.Tests.Infrastructure;

/// <summary>
/// The media service in-process, validating tokens from the real local issuer. Its clients call as Alice; tests
/// about other callers set their own header.
/// </summary>
public sealed class MediaServiceFactory(LocalIssuer issuer, Action<IWebHostBuilder> configure) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development")
            .UseSetting("Identity:Authority", issuer.Authority)
            .UseSetting("Identity:Audience", LocalIssuer.Audience);
        configure(builder);
    }

    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        // Fixtures fetch their users' tokens while starting, so this returns at once.
        client.DefaultRequestHeaders.Authorization = issuer.BearerAsync(LocalIssuer.Alice).GetAwaiter().GetResult();
    }
}
