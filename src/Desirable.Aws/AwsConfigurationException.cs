namespace Desirable.Aws;

/// <summary>What is missing on this machine to reach AWS (region, credentials, profile), said so a user can fix it.</summary>
public sealed class AwsConfigurationException(string message, Exception? inner = null) : Exception(message, inner);
