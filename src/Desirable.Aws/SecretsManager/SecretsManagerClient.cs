using System.Net;
using Desirable.Aws.Json;
using Desirable.Aws.Query;

namespace Desirable.Aws.SecretsManager;

/// <summary>
/// Reads a secret's value (AWSSDK.SecretsManager is not available): Secrets Manager's JSON protocol, a signed POST
/// with <c>X-Amz-Target: secretsmanager.GetSecretValue</c>.
/// </summary>
public sealed class SecretsManagerClient(HttpClient http, AwsQueryClientOptions? options = null, TimeProvider? time = null)
{
    private readonly AwsJsonClient _json = new(http, "secretsmanager", "secretsmanager", options, time);

    /// <summary>The secret's current string value.</summary>
    public async Task<string> GetSecretStringAsync(string secretId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(secretId);
        var answer = await _json.CallAsync("GetSecretValue", new Dictionary<string, string> { ["SecretId"] = secretId },
            (code, message, status) => new SecretsManagerException(code, message, status), cancellationToken);
        return answer.TryGetProperty("SecretString", out var secret) && secret.GetString() is { } value
            ? value
            : throw new SecretsManagerException("NoSecretString", $"The secret {secretId} holds no string.", HttpStatusCode.OK);
    }
}

/// <summary>Secrets Manager answered with an error, such as <c>ResourceNotFoundException</c> or <c>AccessDeniedException</c>.</summary>
public sealed class SecretsManagerException(string code, string message, HttpStatusCode statusCode)
    : AwsApiException("Secrets Manager", code, message, statusCode);
