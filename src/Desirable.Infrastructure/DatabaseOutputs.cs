namespace Desirable.Infrastructure;

/// <summary>The Database stack's output keys (see <see cref="MediaOutputs"/> for why they are a contract).</summary>
public static class DatabaseOutputs
{
    public const string ConnectionStringSecretArn = "CatalogConnectionStringSecretArn";
    public const string DatabaseName = "CatalogDatabaseName";

    /// <summary>Present only when the stack made an Atlas cluster.</summary>
    public const string AtlasCluster = "AtlasClusterName";
}
