using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Desirable.Identity.Tests;

/// <summary>The local issuer in-process, with its database and keys in a folder of the test's.</summary>
public sealed class IssuerFactory(string dataDirectory) : WebApplicationFactory<Program>
{
    public const string WebRedirectUri = "http://localhost:5080/authentication/login-callback";

    protected override void ConfigureWebHost(IWebHostBuilder builder) => builder
        .UseEnvironment("Development")
        .UseSetting("ConnectionStrings:identity", $"Data Source={Path.Combine(dataDirectory, "identity.db")}")
        .UseSetting("Identity:KeyDirectory", Path.Combine(dataDirectory, "keys"))
        .UseSetting("Identity:WebRedirectUris:0", WebRedirectUri)
        .UseSetting("Identity:AllowedOrigins:0", "http://localhost:5080");
}
