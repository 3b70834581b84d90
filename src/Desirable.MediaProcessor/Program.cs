using Desirable.MediaProcessor.Commands;
using Desirable.MediaProcessor.Extensions;

// A container's health check runs the service's own executable with this argument (the image has no curl).
if (HealthProbe.IsRequested(args))
{
    return await HealthProbe.RunAsync();
}

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

// Health, and the operator commands when the AppHost has given a key for them: the work comes from the queue.
app.MapDefaultEndpoints();
app.MapCommandApi();

await app.RunAsync();
return 0;
