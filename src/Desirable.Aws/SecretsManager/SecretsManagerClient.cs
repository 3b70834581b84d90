using System.Net;
using System.Text.Json;
using Desirable.Aws.Query;

namespace Desirable.Aws.SecretsManager;

/// <summary>
/// Reads a secret's value (AWSSDK.SecretsManager is not available): Secrets Manager's JSON protocol, a signed POST
/// with <c>X-Amz-Target: secretsmanager.GetSecretValue</c>.
/// </summary>
public sealed class SecretsManagerClient(HttpClient http, AwsQueryClientOptions? options = null, TimeProvider? time = null)
{
    private readonly AwsServiceAccess _access = AwsServiceAccess.Resolve("secretsmanager", options ?? new AwsQueryClientOptions());
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>The secret's current string value.</summary>
    public async Task<string> GetSecretStringAsync(string secretId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(secretId);
        var payload = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["SecretId"] = secretId });
        using var request = new HttpRequestMessage(HttpMethod.Post, _access.ServiceUrl) { Content = new ByteArrayContent(payload) };
        request.Content.Headers.ContentType = new("application/x-amz-json-1.1");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "secretsmanager.GetSecretValue");
        SigV4Signer.Sign(request, payload, _access.Credentials.GetCredentials(), _access.Region, "secretsmanager", _time.GetUtcNow().UtcDateTime);

        using var response = await http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        using var document = JsonDocument.Parse(text.Length == 0 ? "{}" : text);
        if (!response.IsSuccessStatusCode)
        {
            var code = document.RootElement.TryGetProperty("__type", out var type) ? type.GetString()?.Split('#')[^1] : null;
            var message = document.RootElement.TryGetProperty("message", out var m) || document.RootElement.TryGetProperty("Message", out m) ? m.GetString() : null;
            throw new SecretsManagerException(code ?? "Unknown", message ?? $"{(int)response.StatusCode}", response.StatusCode);
        }

        return document.RootElement.TryGetProperty("SecretString", out var secret) && secret.GetString() is { } value
            ? value
            : throw new SecretsManagerException("NoSecretString", $"The secret {secretId} holds no string.", response.StatusCode);
    }
}

/// <summary>Secrets Manager answered with an error, such as <c>ResourceNotFoundException</c> or <c>AccessDeniedException</c>.</summary>
public sealed class SecretsManagerException(string code, string message, HttpStatusCode statusCode)
    : AwsApiException("Secrets Manager", code, message, statusCode);
