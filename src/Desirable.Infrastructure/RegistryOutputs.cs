namespace Desirable.Infrastructure;

/// <summary>The Registry stack's output keys (see <see cref="MediaOutputs"/> for why they are a contract).</summary>
public static class RegistryOutputs
{
    /// <summary>GatewayRepositoryUri, MediaRepositoryUri, ProcessorRepositoryUri.</summary>
    public static string RepositoryUri(string service) => $"{RegistryStack.Capitalized(service)}RepositoryUri";
}
