using Aspire.Hosting.ApplicationModel;
using Desirable.Hosting.Mongo;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Aspire.Hosting;

/// <summary>
/// MongoDB in a container, with the builder API of Aspire.Hosting.MongoDB:
/// <c>AddMongoDB(...).WithDataVolume().AddDatabase(...)</c> and <c>WithReference(database)</c> on a service.
/// </summary>
public static class MongoDBBuilderExtensions
{
    private const int MongoPort = 27017;

    /// <summary>Adds a MongoDB server container with a root user whose password is a generated secret parameter.</summary>
    /// <param name="builder">The distributed application builder.</param>
    /// <param name="name">The resource name.</param>
    /// <param name="port">The host port; a free one when null.</param>
    /// <param name="password">The root password; generated (and kept in user secrets) when null.</param>
    public static IResourceBuilder<MongoDBServerResource> AddMongoDB(
        this IDistributedApplicationBuilder builder,
        [ResourceName] string name,
        int? port = null,
        IResourceBuilder<ParameterResource>? password = null)
    {
        ArgumentNullException.ThrowIfNull(builder);

        var passwordParameter = password?.Resource
            ?? ParameterResourceBuilderExtensions.CreateDefaultPasswordParameter(builder, $"{name}-password", special: false);
        var server = new MongoDBServerResource(name, passwordParameter);

        var healthCheckKey = $"{name}_check";
        // One instance for every run of the check, so it keeps its client (and its connection pool).
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            healthCheckKey, new MongoDBPingHealthCheck(server, "admin", server), failureStatus: default, tags: default));

        return builder.AddResource(server)
            .WithEndpoint(port: port, targetPort: MongoPort, name: MongoDBServerResource.PrimaryEndpointName)
            .WithImage(MongoDBContainerImageTags.Image, MongoDBContainerImageTags.Tag)
            .WithImageRegistry(MongoDBContainerImageTags.Registry)
            .WithEnvironment("MONGO_INITDB_ROOT_USERNAME", server.UserName)
            .WithEnvironment("MONGO_INITDB_ROOT_PASSWORD", server.PasswordParameter)
            .WithIconName("Database")
            .WithHealthCheck(healthCheckKey);
    }

    /// <summary>Adds a database whose connection string services receive as <c>ConnectionStrings:{name}</c>.</summary>
    public static IResourceBuilder<MongoDBDatabaseResource> AddDatabase(
        this IResourceBuilder<MongoDBServerResource> builder, [ResourceName] string name, string? databaseName = null)
    {
        ArgumentNullException.ThrowIfNull(builder);

        // MongoDB creates a database on its first write; there is nothing to run, the name is the resource.
        databaseName ??= name;
        builder.Resource.AddDatabase(name, databaseName);
        var database = new MongoDBDatabaseResource(name, databaseName, builder.Resource);

        var healthCheckKey = $"{name}_check";
        builder.ApplicationBuilder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            healthCheckKey, new MongoDBPingHealthCheck(database, databaseName, builder.Resource), failureStatus: default, tags: default));

        return builder.ApplicationBuilder.AddResource(database)
            .WithIconName("DatabaseMultiple")
            .WithHealthCheck(healthCheckKey);
    }

    /// <summary>Keeps the data in a named volume, so items survive container restarts and re-creation.</summary>
    public static IResourceBuilder<MongoDBServerResource> WithDataVolume(
        this IResourceBuilder<MongoDBServerResource> builder, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.WithVolume(name ?? VolumeNameGenerator.Generate(builder, "data"), MongoDBServerResource.DataPath);
    }
}
