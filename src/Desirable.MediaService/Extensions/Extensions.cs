using System.Text.Json.Serialization;
using Amazon.S3;
using Amazon.SQS;
using Desirable.Aws.Sns;
using Desirable.MediaService.Access;
using Desirable.MediaService.Catalog;
using Desirable.MediaService.Catalog.Mongo;
using Desirable.MediaService.Catalog.Sqlite;
using Desirable.MediaService.Processing;
using Desirable.MediaService.Processing.Events;
using Desirable.MediaService.Processing.Images;
using Desirable.MediaService.Processing.Videos;
using Desirable.MediaService.Storage;
using Desirable.MediaService.Uploads;
using Microsoft.Extensions.Options;

namespace Desirable.MediaService.Extensions;

public static class Extensions
{
    /// <summary>The connection string name the AppHost gives the catalog.</summary>
    public const string CatalogConnectionName = "catalog";

    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        builder.Services.AddSingleton(TimeProvider.System);

        builder.AddCatalog();
        builder.AddStorage();
        builder.AddProcessing();

        builder.Services.AddOptions<UploadOptions>().BindConfiguration(UploadOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddScoped<MediaUploader>();

        // Tokens are validated here as well as at the gateway: nothing reaches the media without one.
        builder.AddJwtBearerAuthentication();
        builder.Services.AddAuthorizationBuilder().AddMediaPolicies();
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddScoped<ICurrentUser, TokenUser>();

        return builder;
    }

    private static void AddCatalog(this IHostApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString(CatalogConnectionName)
            ?? throw new InvalidOperationException(
                $"ConnectionStrings:{CatalogConnectionName} is not set. Run the service through Desirable.AppHost, " +
                "or set it to a SQLite connection string (\"Data Source=catalog.db\") or a MongoDB one (\"mongodb://host:27017/desirable\").");

        // The connection string says which store this is; the service never learns the AppHost's mode.
        if (IsMongoDB(connectionString))
        {
            builder.AddMongoDBClient(CatalogConnectionName);
            builder.Services.AddSingleton<IMediaCatalog, MongoMediaCatalog>();
        }
        else
        {
            builder.Services.AddSingleton(new SqliteCatalogOptions(connectionString));
            builder.Services.AddSingleton<IMediaCatalog, SqliteMediaCatalog>();
        }

        builder.Services.AddHostedService<CatalogInitializer>();
        builder.Services.AddHealthChecks().AddCheck<CatalogHealthCheck>("catalog");
    }

    /// <summary>
    /// Every instance can enqueue jobs; only those with <c>Processing:WorkerEnabled</c> consume them (the AppHost
    /// runs the API and the processor as two resources of this project, so they scale apart).
    /// </summary>
    private static void AddProcessing(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ProcessingOptions>().BindConfiguration(ProcessingOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<IAmazonSQS>(_ => new AmazonSQSClient());
        builder.Services.AddSingleton<ProcessingJobs>();
        builder.Services.AddSingleton<ProcessingMetrics>();
        builder.Services.AddHttpClient(nameof(SnsClient));
        builder.Services.AddSingleton(services => new SnsClient(services.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(SnsClient))));
        builder.Services.AddSingleton<MediaEventPublisher>();
        builder.Services.AddSingleton(services => new ImageVariantMaker(services.GetRequiredService<IOptions<ProcessingOptions>>().Value.Quality));
        builder.Services.AddSingleton(services =>
        {
            var settings = services.GetRequiredService<IOptions<ProcessingOptions>>().Value;
            return new VideoPosterMaker(settings.FfmpegPath, settings.FfprobePath, services.GetRequiredService<ImageVariantMaker>());
        });
        builder.Services.AddScoped<MediaProcessor>();

        if (builder.Configuration.GetValue($"{ProcessingOptions.SectionName}:{nameof(ProcessingOptions.WorkerEnabled)}", defaultValue: true))
        {
            builder.Services.AddSingleton<FfmpegAvailability>();
            builder.Services.AddHostedService<ProcessingWorker>();
            builder.Services.AddHostedService<ProcessingReconciler>();
            builder.Services.AddHealthChecks().AddCheck<FfmpegHealthCheck>("ffmpeg");
        }
    }

    private static bool IsMongoDB(string connectionString) =>
        connectionString.StartsWith("mongodb://", StringComparison.OrdinalIgnoreCase) ||
        connectionString.StartsWith("mongodb+srv://", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// S3 takes region, credentials and endpoint from the standard AWS settings (AWS_REGION, AWS_ACCESS_KEY_ID,
    /// AWS_ENDPOINT_URL, profiles, instance roles), so the same code talks to an emulator or to AWS.
    /// </summary>
    private static void AddStorage(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<IAmazonS3>(services =>
        {
            var storage = services.GetRequiredService<IOptions<StorageOptions>>().Value;
            return new AmazonS3Client(new AmazonS3Config { ForcePathStyle = storage.ForcePathStyle });
        });
        builder.Services.AddSingleton<MediaStorage>();
        builder.Services.AddHealthChecks().AddCheck<StorageHealthCheck>("media-storage");
    }
}
