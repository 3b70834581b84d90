using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using MongoDB.Bson;
using MongoDB.Driver;

namespace Desirable.AppHost.Mongo;

/// <summary>
/// Healthy when the server answers <c>ping</c> on the database with the resource's own credentials, so dependents
/// start only once they could connect. One client per resource, created when the connection string is known.
/// </summary>
internal sealed class MongoDBPingHealthCheck(IResourceWithConnectionString resource, string databaseName) : IHealthCheck
{
    private static readonly BsonDocumentCommand<BsonDocument> Ping = new(new BsonDocument("ping", 1));

    private MongoClient? _client;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            _client ??= await CreateClientAsync(cancellationToken);
            await _client.GetDatabase(databaseName).RunCommandAsync(Ping, cancellationToken: cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is MongoException or TimeoutException or InvalidOperationException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"{resource.Name} does not answer ping yet.", e);
        }
    }

    private async Task<MongoClient> CreateClientAsync(CancellationToken cancellationToken)
    {
        var connectionString = await resource.GetConnectionStringAsync(cancellationToken)
            ?? throw new InvalidOperationException($"{resource.Name} has no connection string yet.");
        var settings = MongoClientSettings.FromConnectionString(connectionString);
        settings.ServerSelectionTimeout = TimeSpan.FromSeconds(3);
        return new MongoClient(settings);
    }
}
