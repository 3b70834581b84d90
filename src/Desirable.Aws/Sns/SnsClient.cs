using System.Globalization;
using System.Xml.Linq;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Credentials;

namespace Desirable.Aws.Sns;

/// <summary>
/// The few SNS actions Desirable needs (AWSSDK.SimpleNotificationService is not available): Publish for events, and
/// CreateTopic/Subscribe/SetSubscriptionAttributes for provisioning. SNS's query protocol: a signed form POST,
/// an XML answer. Credentials and region come from AWSSDK.Core's default chains (environment, profile, instance
/// role), the endpoint from <c>AWS_ENDPOINT_URL_SNS</c> or <c>AWS_ENDPOINT_URL</c> like the SDK's own clients.
/// </summary>
public sealed class SnsClient
{
    private const string ApiVersion = "2010-03-31";
    private static readonly XNamespace Ns = "http://sns.amazonaws.com/doc/2010-03-31/";

    private readonly HttpClient _http;
    private readonly Func<ImmutableCredentials> _credentials;
    private readonly TimeProvider _time;

    public SnsClient(HttpClient http, SnsClientOptions? options = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        _http = http;
        _time = time ?? TimeProvider.System;

        options ??= new SnsClientOptions();
        Region = options.Region ?? FallbackRegionFactory.GetRegionEndpoint()?.SystemName
            ?? throw new InvalidOperationException("No AWS region: set AWS_REGION or a profile's region.");
        ServiceUrl = options.ServiceUrl
            ?? EndpointFromEnvironment()
            ?? new Uri($"https://sns.{Region}.amazonaws.com/");

        if (options.Credentials is { } fixedCredentials)
        {
            _credentials = fixedCredentials.GetCredentials;
        }
        else
        {
            var resolved = DefaultAWSCredentialsIdentityResolver.GetCredentials();
            _credentials = resolved.GetCredentials;
        }
    }

    public string Region { get; }

    public Uri ServiceUrl { get; }

    /// <summary>Publishes a message; returns its message id.</summary>
    public async Task<string> PublishAsync(
        string topicArn, string message, IReadOnlyDictionary<string, string>? attributes = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(topicArn);
        ArgumentNullException.ThrowIfNull(message);

        var form = new List<KeyValuePair<string, string>> { new("TopicArn", topicArn), new("Message", message) };
        var index = 1;
        foreach (var (name, value) in attributes ?? new Dictionary<string, string>())
        {
            var prefix = $"MessageAttributes.entry.{index++.ToString(CultureInfo.InvariantCulture)}";
            form.Add(new($"{prefix}.Name", name));
            form.Add(new($"{prefix}.Value.DataType", "String"));
            form.Add(new($"{prefix}.Value.StringValue", value));
        }

        var result = await SendAsync("Publish", form, cancellationToken);
        return Required(result, "MessageId");
    }

    /// <summary>Creates a topic, or returns the existing one's ARN (CreateTopic is idempotent).</summary>
    public async Task<string> CreateTopicAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var result = await SendAsync("CreateTopic", [new("Name", name)], cancellationToken);
        return Required(result, "TopicArn");
    }

    /// <summary>Subscribes an endpoint (for SQS, a queue ARN); returns the subscription ARN.</summary>
    public async Task<string> SubscribeAsync(
        string topicArn, string protocol, string endpoint, IReadOnlyDictionary<string, string>? attributes = null, CancellationToken cancellationToken = default)
    {
        var form = new List<KeyValuePair<string, string>> { new("TopicArn", topicArn), new("Protocol", protocol), new("Endpoint", endpoint), new("ReturnSubscriptionArn", "true") };
        var index = 1;
        foreach (var (name, value) in attributes ?? new Dictionary<string, string>())
        {
            var prefix = $"Attributes.entry.{index++.ToString(CultureInfo.InvariantCulture)}";
            form.Add(new($"{prefix}.key", name));
            form.Add(new($"{prefix}.value", value));
        }

        var result = await SendAsync("Subscribe", form, cancellationToken);
        return Required(result, "SubscriptionArn");
    }

    private async Task<XElement> SendAsync(string action, IEnumerable<KeyValuePair<string, string>> parameters, CancellationToken cancellationToken)
    {
        var body = string.Join('&', parameters
            .Prepend(new("Version", ApiVersion))
            .Prepend(new("Action", action))
            .Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));
        var payload = System.Text.Encoding.UTF8.GetBytes(body);

        using var request = new HttpRequestMessage(HttpMethod.Post, ServiceUrl)
        {
            Content = new ByteArrayContent(payload),
        };
        request.Content.Headers.ContentType = new("application/x-www-form-urlencoded") { CharSet = "utf-8" };
        SigV4Signer.Sign(request, payload, _credentials(), Region, "sns", _time.GetUtcNow().UtcDateTime);

        using var response = await _http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        XDocument document;
        try
        {
            document = XDocument.Parse(text);
        }
        catch (System.Xml.XmlException)
        {
            throw new SnsException("InvalidResponse", $"{(int)response.StatusCode}: {Truncate(text)}", response.StatusCode);
        }

        if (!response.IsSuccessStatusCode)
        {
            var error = document.Descendants().FirstOrDefault(e => e.Name.LocalName == "Error");
            throw new SnsException(
                error?.Elements().FirstOrDefault(e => e.Name.LocalName == "Code")?.Value ?? "Unknown",
                error?.Elements().FirstOrDefault(e => e.Name.LocalName == "Message")?.Value ?? Truncate(text),
                response.StatusCode);
        }

        return document.Root?.Element(Ns + $"{action}Result")
            ?? document.Descendants().FirstOrDefault(e => e.Name.LocalName == $"{action}Result")
            ?? throw new SnsException("InvalidResponse", $"No {action}Result in: {Truncate(text)}", response.StatusCode);
    }

    private static string Required(XElement result, string name) =>
        result.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value
        ?? throw new SnsException("InvalidResponse", $"No {name} in the answer.", System.Net.HttpStatusCode.OK);

    private static Uri? EndpointFromEnvironment()
    {
        var value = Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL_SNS") ?? Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL");
        return string.IsNullOrWhiteSpace(value) ? null : new Uri(value.EndsWith('/') ? value : value + "/");
    }

    private static string Truncate(string text) => text.Length <= 300 ? text : text[..300] + "…";
}

/// <summary>Overrides of the default chains; null keeps the SDK's resolution.</summary>
public sealed class SnsClientOptions
{
    public string? Region { get; init; }

    public Uri? ServiceUrl { get; init; }

    public AWSCredentials? Credentials { get; init; }
}
