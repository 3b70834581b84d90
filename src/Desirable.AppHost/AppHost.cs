using Desirable.AppHost;
using Desirable.AppHost.Modes;

var builder = DistributedApplication.CreateBuilder(args);

// Infrastructure: the mode decides what stands behind AWS and the catalog; services only see configuration.
var mode = builder.SelectMode();
var dataDirectory = DataDirectory.Resolve(builder);

const string MediaBucket = "desirable-media";
var aws = builder.AddAws(mode, dataDirectory)
    .WithBucket(MediaBucket);
var catalog = builder.AddCatalog(mode, dataDirectory);

// One upload limit for the service and the gateway in front of it.
var maxUploadBytes = builder.Configuration["Desirable:Uploads:MaxFileSizeBytes"] ?? $"{100L * 1024 * 1024}";

// Services
var media = builder.AddProject<Projects.Desirable_MediaService>("media")
    .WithReference(aws).WaitFor(aws)
    .WithReference(catalog).WaitFor(catalog)
    .WithEnvironment("Storage__BucketName", MediaBucket)
    .WithEnvironment("Uploads__MaxFileSizeBytes", maxUploadBytes)
    .WithHttpHealthCheck("/health");

var web = builder.AddProject<Projects.Desirable_Web>("web")
    .WithHttpHealthCheck("/health");

// The edge: everything public goes through the gateway, as API Gateway did in version 2.
builder.AddProject<Projects.Desirable_Gateway>("gateway")
    .WithReference(media).WaitFor(media)
    .WithReference(web).WaitFor(web)
    .WithEnvironment("Uploads__MaxFileSizeBytes", maxUploadBytes)
    .WithCorsOrigins(builder.Configuration)
    .WithExternalHttpEndpoints()
    .WithHttpHealthCheck("/health");

builder.Build().Run();
