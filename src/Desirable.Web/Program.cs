var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();

var app = builder.Build();

// Serves the Blazor WebAssembly client; the gateway puts it and the API on one origin.
app.UseBlazorFrameworkFiles();
app.MapStaticAssets();
app.MapDefaultEndpoints();
app.MapFallbackToFile("index.html");

app.Run();
