using System.Globalization;
using Desirable.AppHost;
using Desirable.Contracts;
using Desirable.Hosting.Aws;
using Desirable.Hosting.Aws.Deployment;
using Desirable.Hosting.Modes;
using Desirable.Hosting.SignIn;
using Desirable.Infrastructure;

// The stage commands' short options (aspire deploy -- --stage alice --stack Api --yes) as configuration keys.
var builder = DistributedApplication.CreateBuilder(StageCommandArguments.Normalize(args))
    // Six services idle on a laptop: export metrics every 10 s, workstation GC (src/Desirable.Hosting).
    .WithLocalFootprint();

// Infrastructure: the mode decides what stands behind AWS and the catalog; services only see configuration. The AWS
// resources are described once, as the CDK stacks of src/Desirable.Infrastructure: applied to the emulator locally,
// provisioned through CloudFormation in the developer's AWS account (--Desirable:Mode=aws).
if (!builder.TrySelectMode(out var mode))
{
    return 1; // The console says why: a mode asked for that cannot run here.
}

var dataDirectory = DataDirectory.Resolve(builder);

// A stage on AWS through Aspire's pipeline: aspire publish, aspire do diff, aspire deploy, aspire destroy.
builder.AddStageCommands(dataDirectory);
var aws = builder.AddAwsResources(mode, dataDirectory);
var catalog = builder.AddCatalog(mode, dataDirectory, aws);

// Sign-in: Auth0 (Desirable:Identity=auth0), or in local development a local OpenID Connect issuer with Auth0's
// token shape, so the very same token validation runs everywhere.
var identity = builder.AddIdentityProvider<Projects.Desirable_Identity>(dataDirectory);
// With Auth0 in aws mode, the stage also keeps the tenant's settings where deployed services read them.
aws = aws.WithAuthStack(builder, identity);

// One upload limit for the service and the gateway in front of it.
var maxUploadBytes = builder.Configuration["Desirable:Uploads:MaxFileSizeBytes"] ?? $"{100L * 1024 * 1024}";

// Services. The media service is the API: it stores uploads and sends a job for each; the processor consumes the
// jobs, makes the variants and publishes the events; so processing scales apart from the API. Both share the
// catalog, the bucket and the queue.
var media = builder.AddProject<Projects.Desirable_MediaService>("media")
    .WithAws(aws)
    .WithReference(catalog).WaitFor(catalog)
    .WithIdentityProvider(identity)
    .WithEnvironment("Storage__BucketName", aws.Media.Resource.GetOutput(MediaOutputs.BucketName))
    .WithEnvironment("Processing__QueueName", aws.Media.Resource.GetOutput(MediaOutputs.JobQueueName))
    .WithEnvironment("Uploads__MaxFileSizeBytes", maxUploadBytes)
    // First start: sample media for the seeded users, and a reset (dashboard commands).
    .WithSampleMediaCommands(identity)
    .WithHttpHealthCheck(HealthPaths.Health);

// After the API, which prepares the catalog's schema.
builder.AddProject<Projects.Desirable_MediaProcessor>("processor")
    .WithAws(aws)
    .WithReference(catalog).WaitFor(catalog)
    .WaitFor(media)
    .WithEnvironment("Storage__BucketName", aws.Media.Resource.GetOutput(MediaOutputs.BucketName))
    .WithEnvironment("Processing__QueueName", aws.Media.Resource.GetOutput(MediaOutputs.JobQueueName))
    .WithEnvironment("Processing__DeadLetterQueueName", aws.Media.Resource.GetOutput(MediaOutputs.DeadLetterQueueName))
    .WithEnvironment("Processing__EventsTopicArn", aws.Media.Resource.GetOutput(MediaOutputs.EventsTopicArn))
    // The queue's redrive and visibility are the stack's; the processor must count and extend by the same figures.
    .WithEnvironment("Processing__MaxAttempts", MediaStack.ProcessingAttempts.ToString(CultureInfo.InvariantCulture))
    .WithEnvironment("Processing__VisibilityTimeout", TimeSpan.FromSeconds(MediaStack.JobVisibilityTimeoutSeconds).ToString("c", CultureInfo.InvariantCulture))
    .WithJobRedriveCommand()
    .WithHttpHealthCheck(HealthPaths.Health);

var web = builder.AddProject<Projects.Desirable_Web>("web")
    .WithWebSignIn(identity)
    .WithHttpHealthCheck(HealthPaths.Health);

// The edge: everything public goes through the gateway, as API Gateway did in version 2.
var gateway = builder.AddProject<Projects.Desirable_Gateway>("gateway")
    .WithReference(media).WaitFor(media)
    .WithReference(web).WaitFor(web)
    .WithIdentityProvider(identity)
    .WithEnvironment("Uploads__MaxFileSizeBytes", maxUploadBytes)
    .WithCorsOrigins(builder.Configuration)
    .WithExternalHttpEndpoints()
    .WithHttpHealthCheck(HealthPaths.Health);

// The web app, served by the gateway, signs in from there.
identity.AllowWebSignInThrough(gateway);

builder.Build().Run();
return 0;
