using Desirable.Media.Catalog;
using Desirable.Media.Catalog.Mongo;
using Desirable.Media.Catalog.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using MongoDB.Driver;

namespace Desirable.Media.Tests.Catalog;

/// <summary>The catalog store follows from the connection string the AppHost gives; nothing else decides it.</summary>
public class CatalogRegistrationTests
{
    [Fact]
    public void ASqliteConnectionStringGivesTheSqliteCatalog()
    {
        using var services = Build("Data Source=/tmp/desirable-registration.db");

        Assert.IsType<SqliteMediaCatalog>(services.GetRequiredService<IMediaCatalog>());
        Assert.Null(services.GetService<IMongoClient>());
    }

    [Theory]
    [InlineData("mongodb://admin:secret@localhost:27017/desirable?authSource=admin", "desirable")]
    [InlineData("mongodb+srv://user:pw@cluster0.example.mongodb.net/media-prod?retryWrites=true", "media-prod")]
    public void AMongoConnectionStringGivesTheMongoCatalogOnItsDatabase(string connectionString, string database)
    {
        using var services = Build(connectionString);

        Assert.IsType<MongoMediaCatalog>(services.GetRequiredService<IMediaCatalog>());
        Assert.Equal(database, services.GetRequiredService<IMongoDatabase>().DatabaseNamespace.DatabaseName);
        var checks = services.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations.Select(r => r.Name);
        Assert.Contains("mongodb-catalog", checks);
        Assert.Contains("catalog", checks);
    }

    [Fact]
    public void AMongoConnectionStringWithoutADatabaseIsRefusedWithTheFix()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Build("mongodb://localhost:27017"));

        Assert.Contains("names no database", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingConnectionStringSaysHowToSetIt()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Build(null));

        Assert.Contains("ConnectionStrings:catalog", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheMongoHealthCheckIsUnhealthyWhenNoServerAnswers()
    {
        // A real client against a closed loopback port: the check must fail quickly, not hang.
        using var services = Build($"mongodb://127.0.0.1:{LoopbackPort.Free()}/desirable?serverSelectionTimeoutMS=300&connectTimeoutMS=300");
        var health = services.GetRequiredService<HealthCheckService>();

        var report = await health.CheckHealthAsync(r => r.Name == "mongodb-catalog", TestContext.Current.CancellationToken);

        Assert.Equal(HealthStatus.Unhealthy, report.Status);
        Assert.Contains("ping", report.Entries["mongodb-catalog"].Description, StringComparison.Ordinal);
    }

    private static ServiceProvider Build(string? connectionString)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing" });
        if (connectionString is not null)
        {
            builder.Configuration[$"ConnectionStrings:{MediaExtensions.CatalogConnectionName}"] = connectionString;
        }

        builder.Services.AddLogging();
        builder.AddMediaCatalog();
        return (ServiceProvider)builder.Build().Services;
    }
}
