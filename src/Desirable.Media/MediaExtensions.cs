using Amazon.S3;
using Amazon.SQS;
using Desirable.Media.Catalog;
using Desirable.Media.Catalog.Mongo;
using Desirable.Media.Catalog.Sqlite;
using Desirable.Media.Jobs;
using Desirable.Media.Storage;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

/// <summary>Registers the parts the media service and the processor share; each service takes what it uses.</summary>
public static class MediaExtensions
{
    /// <summary>The connection string name the AppHost gives the catalog.</summary>
    public const string CatalogConnectionName = "catalog";

    /// <summary>
    /// The catalog, from <c>ConnectionStrings:catalog</c>: the connection string says which store it is, so a service
    /// never learns the AppHost's mode. Its schema is prepared at start (idempotent) and its health checked.
    /// </summary>
    public static IHostApplicationBuilder AddMediaCatalog(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var connectionString = builder.Configuration.GetConnectionString(CatalogConnectionName)
            ?? throw new InvalidOperationException(
                $"ConnectionStrings:{CatalogConnectionName} is not set. Run the service through Desirable.AppHost, " +
                "or set it to a SQLite connection string (\"Data Source=catalog.db\") or a MongoDB one (\"mongodb://host:27017/desirable\").");

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
        return builder;
    }

    /// <summary>
    /// The bucket. S3 takes region, credentials and endpoint from the standard AWS settings (AWS_REGION,
    /// AWS_ACCESS_KEY_ID, AWS_ENDPOINT_URL, profiles, instance roles), so the same code talks to an emulator or to AWS.
    /// </summary>
    public static IHostApplicationBuilder AddMediaStorage(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<IAmazonS3>(services =>
        {
            var storage = services.GetRequiredService<IOptions<StorageOptions>>().Value;
            return new AmazonS3Client(new AmazonS3Config { ForcePathStyle = storage.ForcePathStyle, Timeout = storage.RequestTimeout });
        });
        builder.Services.AddSingleton<MediaStorage>();
        builder.Services.AddSingleton<StorageMetrics>();
        builder.Services.AddHealthChecks().AddCheck<StorageHealthCheck>("media-storage");
        return builder;
    }

    /// <summary>The job queue between the service, which sends a job per upload, and the processor, which receives them.</summary>
    public static IHostApplicationBuilder AddProcessingJobs(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<JobQueueOptions>().BindConfiguration(JobQueueOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        // A receive waits up to the long poll for its answer by design, so each request gets that much more time.
        builder.Services.AddSingleton<IAmazonSQS>(services => new AmazonSQSClient(new AmazonSQSConfig
        {
            Timeout = services.GetRequiredService<IOptions<JobQueueOptions>>().Value.RequestTimeout + ProcessingJobs.LongPoll,
        }));
        builder.Services.AddSingleton<ProcessingJobs>();
        return builder;
    }

    private static bool IsMongoDB(string connectionString) =>
        connectionString.StartsWith("mongodb://", StringComparison.OrdinalIgnoreCase) ||
        connectionString.StartsWith("mongodb+srv://", StringComparison.OrdinalIgnoreCase);
}
