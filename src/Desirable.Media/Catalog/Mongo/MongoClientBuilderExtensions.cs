using Desirable.Media.Catalog.Mongo;
using MongoDB.Driver;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// What Aspire.MongoDB.Driver would register (it is not served here): <see cref="IMongoClient"/> and
/// <see cref="IMongoDatabase"/> from <c>ConnectionStrings:{name}</c>, a health check, and command tracing.
/// </summary>
public static class MongoClientBuilderExtensions
{
    /// <summary>How long a request waits for a reachable server before it fails, instead of the driver's 30 s.</summary>
    private static readonly TimeSpan ServerSelectionTimeout = TimeSpan.FromSeconds(10);

    public static IHostApplicationBuilder AddMongoDBClient(this IHostApplicationBuilder builder, string connectionName)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionName);

        var connectionString = builder.Configuration.GetConnectionString(connectionName)
            ?? throw new InvalidOperationException($"ConnectionStrings:{connectionName} is not set.");
        var url = MongoUrl.Create(connectionString);
        if (string.IsNullOrEmpty(url.DatabaseName))
        {
            throw new InvalidOperationException(
                $"ConnectionStrings:{connectionName} names no database. Put it in the path: mongodb://host:27017/<database>.");
        }

        builder.Services.AddSingleton<IMongoClient>(_ =>
        {
            var settings = MongoClientSettings.FromUrl(url);
            settings.ApplicationName ??= builder.Environment.ApplicationName;
            settings.ServerSelectionTimeout = ServerSelectionTimeout;
            // Spans come from the command events below; the driver's own ActivitySource stays off so that a
            // listener on both never sees every command twice.
            settings.TracingOptions = new MongoDB.Driver.Core.Configuration.TracingOptions { Disabled = true };
            var tracer = new MongoCommandTracer();
            settings.ClusterConfigurator = tracer.Subscribe;
            return new MongoClient(settings);
        });
        builder.Services.AddSingleton(services => services.GetRequiredService<IMongoClient>().GetDatabase(url.DatabaseName));
        builder.Services.AddHealthChecks().AddCheck<MongoHealthCheck>($"mongodb-{connectionName}", timeout: TimeSpan.FromSeconds(5));
        return builder;
    }
}
