namespace Aspire.Hosting.ApplicationModel;

/// <summary>A database on a <see cref="MongoDBServerResource"/>; its connection string names the database in its path.</summary>
public sealed class MongoDBDatabaseResource(string name, string databaseName, MongoDBServerResource parent)
    : Resource(name), IResourceWithParent<MongoDBServerResource>, IResourceWithConnectionString
{
    public MongoDBServerResource Parent { get; } = parent;

    public string DatabaseName { get; } = databaseName;

    public ReferenceExpression ConnectionStringExpression => Parent.BuildConnectionString(DatabaseName);
}
