namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// The catalog as one SQLite file on the developer's disk. There is no process to run; the resource carries the
/// connection string (<c>Data Source=...</c>) that the media service receives as <c>ConnectionStrings:{name}</c>.
/// </summary>
public sealed class SqliteCatalogResource(string name, string databasePath) : Resource(name), IResourceWithConnectionString
{
    public string DatabasePath { get; } = databasePath;

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"Data Source={DatabasePath}");
}
