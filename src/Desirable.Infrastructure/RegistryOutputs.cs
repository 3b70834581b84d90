namespace Desirable.Infrastructure;

/// <summary>The Registry stack's output keys (see <see cref="MediaOutputs"/> for why they are a contract).</summary>
public static class RegistryOutputs
{
    /// <summary>The pull-through cache's repository prefix: its repositories outlive the stack (ECR made them, not CloudFormation).</summary>
    public const string CachePrefix = "PublicImageCachePrefix";

    /// <summary>GatewayRepositoryUri, MediaRepositoryUri, ProcessorRepositoryUri.</summary>
    public static string RepositoryUri(string service) => $"{RegistryStack.Capitalized(service)}RepositoryUri";
}
