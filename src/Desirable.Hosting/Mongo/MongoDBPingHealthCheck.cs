using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using MongoDB.Bson;
using MongoDB.Driver;

namespace Desirable.Hosting.Mongo;

/// <summary>
/// Healthy when the server answers <c>ping</c> on the database with the resource's own credentials, so dependents
/// start only once they could connect. One client per resource, created when the connection string is known. A
/// refused password is told apart from a server that is still starting: it will not get better by waiting.
/// </summary>
internal sealed class MongoDBPingHealthCheck(IResourceWithConnectionString resource, string databaseName, MongoDBServerResource server) : IHealthCheck
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
        catch (MongoAuthenticationException e)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, PasswordRefused(server), e);
        }
        catch (Exception e) when (e is MongoException or TimeoutException or InvalidOperationException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"{resource.Name} does not answer ping yet.", e);
        }
    }

    /// <summary>
    /// The image creates its root user only when the data volume is empty; later starts keep that user's password,
    /// whatever the parameter says now (a new machine's user secrets, a changed or deleted secret).
    /// </summary>
    internal static string PasswordRefused(MongoDBServerResource server)
    {
        var volume = server.DataVolumeName;
        var where = volume is null ? "its data" : $"the data volume '{volume}'";
        return $"MongoDB refused the password of user '{server.UserName}': {where} keeps the password it was created with, and the " +
            $"parameter '{server.PasswordParameter.Name}' now holds another. Set the parameter back to that password, or start " +
            "the local catalog over by removing the container and its volume (README, Modes: \"MongoDB refuses the password\").";
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
