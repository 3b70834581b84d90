namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// A MongoDB server in a container, shaped like Aspire.Hosting.MongoDB's (not served here): a <c>tcp</c> endpoint,
/// a root user and password, and a connection string other resources can reference.
/// </summary>
public sealed class MongoDBServerResource(string name, ParameterResource password)
    : ContainerResource(name), IResourceWithConnectionString
{
    public const string PrimaryEndpointName = "tcp";
    public const string DefaultUserName = "admin";

    /// <summary>The root account is created by the image on first start; SCRAM-SHA-256 against the admin database.</summary>
    /// <summary>Where the image keeps its data.</summary>
    internal const string DataPath = "/data/db";

    internal const string AuthenticationQuery = "authSource=admin&authMechanism=SCRAM-SHA-256";

    private readonly Dictionary<string, string> _databases = new(StringComparer.Ordinal);

    private EndpointReference? _primaryEndpoint;

    public EndpointReference PrimaryEndpoint => _primaryEndpoint ??= new(this, PrimaryEndpointName);

    public string UserName { get; } = DefaultUserName;

    public ParameterResource PasswordParameter { get; } = password;

    /// <summary>The named volume that holds the data (and the root user created on first start), when there is one.</summary>
    public string? DataVolumeName => Annotations.OfType<ContainerMountAnnotation>()
        .FirstOrDefault(m => m.Type == ContainerMountType.Volume && m.Target == DataPath)?.Source;

    /// <summary>Resource name to database name of the databases added with <c>AddDatabase</c>.</summary>
    public IReadOnlyDictionary<string, string> Databases => _databases;

    public ReferenceExpression ConnectionStringExpression => BuildConnectionString(databaseName: null);

    internal ReferenceExpression BuildConnectionString(string? databaseName)
    {
        var builder = new ReferenceExpressionBuilder();
        // The password is a URI part: a '@', ':' or '/' in it would otherwise end the user info early.
        builder.Append($"mongodb://{UserName}:{PasswordParameter:uri}@{PrimaryEndpoint.Property(EndpointProperty.Host)}:{PrimaryEndpoint.Property(EndpointProperty.Port)}/");
        if (databaseName is not null)
        {
            builder.AppendLiteral(databaseName);
        }

        builder.AppendLiteral("?" + AuthenticationQuery);
        return builder.Build();
    }

    internal void AddDatabase(string resourceName, string databaseName) => _databases.TryAdd(resourceName, databaseName);
}
