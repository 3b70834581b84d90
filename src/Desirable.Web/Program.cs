using Desirable.Web;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();

var app = builder.Build();

// Serves the Blazor WebAssembly client (its _framework files are static web assets of this project, with
// fingerprints and compression); the gateway puts it and the API on one origin.
app.UseContentSecurityPolicy();
app.MapClientSettings();
app.MapStaticAssets();
app.MapDefaultEndpoints();
app.MapFallbackToFile("index.html");

app.Run();
