using Desirable.MediaProcessor.Commands;
using Desirable.MediaProcessor.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

// Health, and the operator commands when the AppHost has given a key for them: the work comes from the queue.
app.MapDefaultEndpoints();
app.MapCommandApi();

app.Run();
