namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// The catalog of a stage on AWS: the connection string the Database stack keeps in Secrets Manager, read once the
/// stack is provisioned and handed to services as <c>ConnectionStrings:{name}</c>.
/// </summary>
public sealed class CloudCatalogResource(string name, AwsStackResource database, Func<string, CancellationToken, Task<string>> readSecret)
    : Resource(name), IResourceWithConnectionString, IResourceWithWaitSupport
{
    private readonly SecretConnectionString _secret = new(name, database, readSecret);

    public AwsStackResource Database { get; } = database;

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create($"{_secret}");

    /// <summary>Reads the secret (once) after the Database stack is provisioned.</summary>
    public Task<string> ReadConnectionStringAsync(CancellationToken cancellationToken) => _secret.ReadAsync(cancellationToken);

    private sealed class SecretConnectionString(string name, AwsStackResource database, Func<string, CancellationToken, Task<string>> readSecret)
        : IValueProvider, IManifestExpressionProvider
    {
        private Task<string>? _value;

        public string ValueExpression => $"{{{name}.secret}}";

        public async ValueTask<string?> GetValueAsync(CancellationToken cancellationToken = default) => await ReadAsync(cancellationToken);

        public Task<string> ReadAsync(CancellationToken cancellationToken)
        {
            // A failed read is not kept: the next start (or the Re-provision command) tries again.
            if (_value is null || _value.IsFaulted || _value.IsCanceled)
            {
                _value = ReadOnceAsync();
            }

            return _value.WaitAsync(cancellationToken);
        }

        private async Task<string> ReadOnceAsync()
        {
            var outputs = await database.WaitForOutputsAsync(CancellationToken.None);
            return await readSecret(outputs[Desirable.Infrastructure.DatabaseOutputs.ConnectionStringSecretArn], CancellationToken.None);
        }
    }
}
