using System.Globalization;
using System.Net;
using System.Text;
using System.Xml.Linq;
using Amazon.Runtime;

namespace Desirable.Aws.Query;

/// <summary>
/// The AWS Query protocol that SNS and CloudFormation speak: a signed form POST (<c>Action=...&amp;Version=...</c>),
/// an XML answer, an <c>ErrorResponse</c> document on failure. Credentials and region come from AWSSDK.Core's default
/// chains (environment, profile, SSO, instance role), the endpoint from <c>AWS_ENDPOINT_URL_{SERVICE}</c> or
/// <c>AWS_ENDPOINT_URL</c>, as the SDK's own clients resolve them. Throttled calls are retried with back-off.
/// </summary>
public sealed class AwsQueryClient
{
    private readonly HttpClient _http;
    private readonly Func<ImmutableCredentials> _credentials;
    private readonly TimeProvider _time;
    private readonly string _service;
    private readonly string _apiVersion;
    private readonly Func<string, string, HttpStatusCode, Exception> _error;

    /// <param name="http">Sends the requests.</param>
    /// <param name="service">The signing name and endpoint prefix, such as <c>sns</c>.</param>
    /// <param name="apiVersion">The API version every request names.</param>
    /// <param name="options">Overrides of the SDK's resolution.</param>
    /// <param name="error">Makes the service's own exception from an error code, message and status.</param>
    /// <param name="time">The clock requests are signed with; back-off waits on it too.</param>
    public AwsQueryClient(
        HttpClient http,
        string service,
        string apiVersion,
        AwsQueryClientOptions? options,
        Func<string, string, HttpStatusCode, Exception> error,
        TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(error);
        _http = http;
        _service = service;
        _apiVersion = apiVersion;
        _error = error;
        _time = time ?? TimeProvider.System;

        var access = AwsServiceAccess.Resolve(service, options ?? new AwsQueryClientOptions());
        Region = access.Region;
        ServiceUrl = access.ServiceUrl;
        _credentials = access.Credentials.GetCredentials;
        MaxThrottlingRetries = (options ?? new AwsQueryClientOptions()).MaxThrottlingRetries;
    }

    public string Region { get; }

    public Uri ServiceUrl { get; }

    public int MaxThrottlingRetries { get; }

    /// <summary>Sends an action and returns its <c>{Action}Result</c> element (empty for actions that answer nothing).</summary>
    public async Task<XElement> SendAsync(string action, IEnumerable<KeyValuePair<string, string>> parameters, CancellationToken cancellationToken)
    {
        var body = string.Join('&', parameters
            .Prepend(new("Version", _apiVersion))
            .Prepend(new("Action", action))
            .Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));
        var payload = Encoding.UTF8.GetBytes(body);

        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await SendOnceAsync(action, payload, cancellationToken);
            }
            catch (ThrottledException e)
            {
                if (attempt >= MaxThrottlingRetries)
                {
                    throw e.ServiceError;
                }

                // Full jitter on an exponential ceiling, as the AWS SDKs do: 0.5 s, 1 s, 2 s, ... at most 20 s.
                var ceiling = TimeSpan.FromMilliseconds(Math.Min(20_000, 500 * Math.Pow(2, attempt)));
                await Task.Delay(ceiling * Random.Shared.NextDouble(), _time, cancellationToken);
            }
        }
    }

    private async Task<XElement> SendOnceAsync(string action, byte[] payload, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, ServiceUrl) { Content = new ByteArrayContent(payload) };
        request.Content.Headers.ContentType = new("application/x-www-form-urlencoded") { CharSet = "utf-8" };
        SigV4Signer.Sign(request, payload, Credentials(), Region, _service, _time.GetUtcNow().UtcDateTime);

        using var response = await _http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        XDocument document;
        try
        {
            document = XDocument.Parse(text);
        }
        catch (System.Xml.XmlException)
        {
            if (response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable)
            {
                throw new ThrottledException(_error("Throttling", $"{(int)response.StatusCode}: {Truncate(text)}", response.StatusCode));
            }

            throw _error("InvalidResponse", $"{(int)response.StatusCode}: {Truncate(text)}", response.StatusCode);
        }

        if (!response.IsSuccessStatusCode)
        {
            var error = document.Descendants().FirstOrDefault(e => e.Name.LocalName == "Error");
            var code = Child(error, "Code") ?? "Unknown";
            var message = Child(error, "Message") ?? Truncate(text);
            var serviceError = _error(code, message, response.StatusCode);
            if (IsThrottling(code) || response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable)
            {
                throw new ThrottledException(serviceError);
            }

            throw serviceError;
        }

        return document.Descendants().FirstOrDefault(e => e.Name.LocalName == $"{action}Result")
            ?? new XElement($"{action}Result");
    }

    /// <summary>The credentials now; an expired SSO session or a role that cannot be assumed is said as such.</summary>
    private ImmutableCredentials Credentials()
    {
        try
        {
            return _credentials();
        }
        catch (AmazonClientException e)
        {
            throw new AwsConfigurationException(
                $"The AWS credentials could not be obtained: {e.Message} If the profile signs in with SSO, run 'aws sso login' (with --profile when it is not the default).", e);
        }
    }

    /// <summary>The text of the first child element with this local name (namespaces differ between services).</summary>
    public static string? Child(XElement? element, string name) =>
        element?.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value;

    /// <summary>The <c>member</c> elements of a list element, the Query protocol's way of writing arrays.</summary>
    public static IEnumerable<XElement> Members(XElement? element, string listName) =>
        element?.Elements().FirstOrDefault(e => e.Name.LocalName == listName)?.Elements().Where(e => e.Name.LocalName == "member") ?? [];

    /// <summary>Adds <c>{prefix}.member.{n}.{field}</c> parameters, the Query protocol's way of sending arrays.</summary>
    public static void AddMembers<T>(List<KeyValuePair<string, string>> form, string prefix, IEnumerable<T> items, Func<T, IEnumerable<(string Field, string Value)>> fields)
    {
        var index = 1;
        foreach (var item in items)
        {
            var member = $"{prefix}.member.{index++.ToString(CultureInfo.InvariantCulture)}";
            foreach (var (field, value) in fields(item))
            {
                form.Add(new(field.Length == 0 ? member : $"{member}.{field}", value));
            }
        }
    }

    private static bool IsThrottling(string code) =>
        code is "Throttling" or "ThrottlingException" or "ThrottledException" or "RequestLimitExceeded" or "TooManyRequestsException";

    private static string Truncate(string text) => text.Length <= 300 ? text : text[..300] + "…";
}

/// <summary>Overrides of the SDK's resolution; null keeps the default chain.</summary>
public sealed class AwsQueryClientOptions
{
    public string? Region { get; init; }

    public Uri? ServiceUrl { get; init; }

    public AWSCredentials? Credentials { get; init; }

    /// <summary>A named profile of ~/.aws/config (credentials, SSO, region); else <c>AWS_PROFILE</c> or the default chain.</summary>
    public string? Profile { get; init; }

    /// <summary>How often a throttled call is retried before its error is thrown.</summary>
    public int MaxThrottlingRetries { get; init; } = 6;
}

/// <summary>A throttled call, retried by <see cref="AwsQueryClient.SendAsync"/> until its retries run out.</summary>
internal sealed class ThrottledException(Exception serviceError) : Exception(serviceError.Message, serviceError)
{
    public Exception ServiceError { get; } = serviceError;
}
