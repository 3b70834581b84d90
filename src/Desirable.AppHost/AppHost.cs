using Desirable.AppHost;
using Desirable.AppHost.Identity;
using Desirable.AppHost.Modes;

var builder = DistributedApplication.CreateBuilder(args);

// Infrastructure: the mode decides what stands behind AWS and the catalog; services only see configuration.
var mode = builder.SelectMode();
var dataDirectory = DataDirectory.Resolve(builder);

const string MediaBucket = "desirable-media";
const string JobQueue = "media-processing";
const string DeadLetterQueue = "media-processing-dlq";
const string EventsTopic = "media-events";
const string EventsAuditQueue = "media-events-audit";
const int ProcessingAttempts = 3;

var aws = builder.AddAws(mode, dataDirectory)
    .WithBucket(MediaBucket)
    // Jobs that fail every attempt end here, kept for two weeks (SQS's maximum) to be looked at.
    .WithQueue(DeadLetterQueue, new Dictionary<string, string> { ["MessageRetentionPeriod"] = "1209600" })
    .WithQueue(JobQueue, new Dictionary<string, string> { ["VisibilityTimeout"] = "60" }, DeadLetterQueue, ProcessingAttempts)
    // Ready and Failed events; the audit queue lets a developer (and the tests) see what other systems would.
    .WithTopic(EventsTopic)
    .WithQueue(EventsAuditQueue)
    .WithSubscription(EventsTopic, EventsAuditQueue);
var catalog = builder.AddCatalog(mode, dataDirectory);

// Sign-in: Auth0 (Desirable:Identity=auth0), or in local development a local OpenID Connect issuer with Auth0's
// token shape, so the very same token validation runs everywhere.
var identity = builder.AddIdentityProvider(dataDirectory);

// One upload limit for the service and the gateway in front of it.
var maxUploadBytes = builder.Configuration["Desirable:Uploads:MaxFileSizeBytes"] ?? $"{100L * 1024 * 1024}";

// Services. The media service runs twice: the API, which stores uploads and sends jobs, and the processor, which
// consumes them; so processing scales apart from the API.
IResourceBuilder<ProjectResource> MediaService(IResourceBuilder<ProjectResource> project) => project
    .WithReference(aws).WaitFor(aws)
    .WithReference(catalog).WaitFor(catalog)
    .WithIdentityProvider(identity)
    .WithEnvironment("Storage__BucketName", MediaBucket)
    .WithEnvironment("Processing__QueueName", JobQueue)
    .WithEnvironment("Processing__DeadLetterQueueName", DeadLetterQueue)
    .WithEnvironment("Processing__MaxAttempts", ProcessingAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture))
    .WithEnvironment("Processing__EventsTopicArn", AwsEmulatorDefaults.TopicArn(EventsTopic));

var media = MediaService(builder.AddProject<Projects.Desirable_MediaService>("media"))
    .WithEnvironment("Uploads__MaxFileSizeBytes", maxUploadBytes)
    .WithEnvironment("Processing__WorkerEnabled", "false")
    .WithHttpHealthCheck("/health");

// Its own port (no launch profile), and after the API, which prepares the catalog's schema.
MediaService(builder.AddProject<Projects.Desirable_MediaService>("processor", launchProfileName: null))
    .WithHttpEndpoint()
    .WithEnvironment("ASPNETCORE_ENVIRONMENT", "Development")
    .WithEnvironment("Processing__WorkerEnabled", "true")
    .WaitFor(media)
    .WithHttpHealthCheck("/health");

var web = builder.AddProject<Projects.Desirable_Web>("web")
    .WithWebSignIn(identity)
    .WithHttpHealthCheck("/health");

// The edge: everything public goes through the gateway, as API Gateway did in version 2.
var gateway = builder.AddProject<Projects.Desirable_Gateway>("gateway")
    .WithReference(media).WaitFor(media)
    .WithReference(web).WaitFor(web)
    .WithIdentityProvider(identity)
    .WithEnvironment("Uploads__MaxFileSizeBytes", maxUploadBytes)
    .WithCorsOrigins(builder.Configuration)
    .WithExternalHttpEndpoints()
    .WithHttpHealthCheck("/health");

// The web app, served by the gateway, signs in from there.
identity.AllowWebSignInThrough(gateway);

builder.Build().Run();
