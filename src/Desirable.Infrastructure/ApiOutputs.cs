namespace Desirable.Infrastructure;

/// <summary>The Api stack's output keys (see <see cref="MediaOutputs"/> for why they are a contract).</summary>
public static class ApiOutputs
{
    public const string LoadBalancerDnsName = "LoadBalancerDnsName";
    public const string LoadBalancerFullName = "LoadBalancerFullName";
    public const string ProcessorLogGroupName = "ProcessorLogGroupName";
    public const string ClusterName = "ClusterName";
    public const string ServiceNamespace = "ServiceNamespace";

    /// <summary>The internal load balancer as a CloudFront VPC origin: the only way from the internet to the gateway.</summary>
    public const string VpcOriginId = "VpcOriginId";

    /// <summary>The secret the site's distribution sends the load balancer in <see cref="ApiStack.OriginHeader"/>.</summary>
    public const string OriginSecretArn = "OriginSecretArn";

    /// <summary>GatewayServiceName, MediaServiceName, ProcessorServiceName.</summary>
    public static string ServiceName(string service) => $"{RegistryStack.Capitalized(service)}ServiceName";
}
