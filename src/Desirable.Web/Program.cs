using Desirable.Web;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();

var app = builder.Build();

// Serves the Blazor WebAssembly client: its build as static web assets of this project (fingerprints, compression), or
// a published client as the deployed site serves it (Web:SiteDirectory); the gateway puts it and the API on one origin.
var site = PublishedSite.Directory(app.Configuration);
app.UseContentSecurityPolicy(site);
app.MapClientSettings();
app.MapDefaultEndpoints();
if (site is null)
{
    app.MapStaticAssets();
    app.MapFallbackToFile("index.html");
}
else
{
    app.MapPublishedSite(site);
}

app.Run();

/// <summary>Entry point, visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
