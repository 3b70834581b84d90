using System.Net;
using System.Text.Json;
using Desirable.Aws.Query;

namespace Desirable.Aws.Json;

/// <summary>
/// AWS's JSON 1.1 protocol, for services whose SDK package is not available: a signed POST of a JSON document, the
/// operation named by <c>X-Amz-Target</c>, an error as a document with <c>__type</c> and <c>message</c>.
/// </summary>
/// <param name="service">The signing name and the endpoint's service id (<c>ecr</c>, <c>secretsmanager</c>).</param>
/// <param name="targetPrefix">What precedes the operation in <c>X-Amz-Target</c>.</param>
internal sealed class AwsJsonClient(HttpClient http, string service, string targetPrefix, AwsQueryClientOptions? options, TimeProvider? time)
{
    private readonly AwsServiceAccess _access = AwsServiceAccess.Resolve(service, options ?? new AwsQueryClientOptions());
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public string Region => _access.Region;

    /// <summary>Calls <paramref name="operation"/>; an error document becomes the exception <paramref name="error"/> makes.</summary>
    public async Task<JsonElement> CallAsync(
        string operation, object request, Func<string, string, HttpStatusCode, Exception> error, CancellationToken cancellationToken)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(request);
        using var message = new HttpRequestMessage(HttpMethod.Post, _access.ServiceUrl) { Content = new ByteArrayContent(payload) };
        message.Content.Headers.ContentType = new("application/x-amz-json-1.1");
        message.Headers.TryAddWithoutValidation("X-Amz-Target", $"{targetPrefix}.{operation}");
        SigV4Signer.Sign(message, payload, _access.Credentials.GetCredentials(), _access.Region, service, _time.GetUtcNow().UtcDateTime);

        using var response = await http.SendAsync(message, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        using var document = JsonDocument.Parse(text.Length == 0 ? "{}" : text);
        if (!response.IsSuccessStatusCode)
        {
            var root = document.RootElement;
            var code = root.TryGetProperty("__type", out var type) ? type.GetString()?.Split('#')[^1] : null;
            var reason = root.TryGetProperty("message", out var m) || root.TryGetProperty("Message", out m) ? m.GetString() : null;
            throw error(code ?? "Unknown", reason ?? $"{(int)response.StatusCode}", response.StatusCode);
        }

        return document.RootElement.Clone();
    }
}
