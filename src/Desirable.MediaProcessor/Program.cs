using Desirable.MediaProcessor.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

// Nothing but health: the work comes from the queue.
app.MapDefaultEndpoints();

app.Run();
