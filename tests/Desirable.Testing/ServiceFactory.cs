using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Desirable.Testing;

/// <summary>
/// A service in-process (WebApplicationFactory), validating tokens from the real local issuer. Its clients call as
/// Alice; tests about other callers set their own header. <typeparamref name="TEntryPoint"/> is any type of the
/// service's assembly.
/// </summary>
public sealed class ServiceFactory<TEntryPoint>(LocalIssuer issuer, Action<IWebHostBuilder> configure) : WebApplicationFactory<TEntryPoint>
    where TEntryPoint : class
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
