using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;

namespace Aspire.Hosting;

public static class SqliteCatalogBuilderExtensions
{
    /// <summary>
    /// Adds a SQLite catalog file at <paramref name="databasePath"/>. The media service creates the schema; the
    /// resource shows as running with the file's location in the dashboard.
    /// </summary>
    public static IResourceBuilder<SqliteCatalogResource> AddSqliteCatalog(
        this IDistributedApplicationBuilder builder, [ResourceName] string name, string databasePath)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);

        var resource = new SqliteCatalogResource(name, Path.GetFullPath(databasePath));
        return builder.AddResource(resource)
            .WithIconName("Database")
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "SQLite",
                State = KnownResourceStates.NotStarted,
                Properties = [new(CustomResourceKnownProperties.Source, resource.DatabasePath)],
            })
            .OnInitializeResource(async (catalog, e, cancellationToken) =>
            {
                Directory.CreateDirectory(Path.GetDirectoryName(catalog.DatabasePath)!);
                await e.Eventing.PublishAsync(new BeforeResourceStartedEvent(catalog, e.Services), cancellationToken);
                await e.Notifications.PublishUpdateAsync(catalog, state => state with
                {
                    State = KnownResourceStates.Running,
                    StartTimeStamp = DateTime.UtcNow,
                });
            });
    }
}
