using Amazon.Runtime;
using Desirable.Aws.Query;

namespace Desirable.Aws.Sns;

/// <summary>
/// The few SNS actions Desirable needs (AWSSDK.SimpleNotificationService is not available): Publish for events, and
/// CreateTopic/Subscribe for provisioning the emulators, over the Query protocol (<see cref="AwsQueryClient"/>).
/// </summary>
public sealed class SnsClient
{
    private readonly AwsQueryClient _query;

    public SnsClient(HttpClient http, SnsClientOptions? options = null, TimeProvider? time = null)
    {
        options ??= new SnsClientOptions();
        _query = new AwsQueryClient(http, "sns", "2010-03-31", new AwsQueryClientOptions
        {
            Region = options.Region,
            ServiceUrl = options.ServiceUrl,
            Credentials = options.Credentials,
        }, (code, message, status) => new SnsException(code, message, status), time);
    }

    public string Region => _query.Region;

    public Uri ServiceUrl => _query.ServiceUrl;

    /// <summary>Publishes a message; returns its message id.</summary>
    public async Task<string> PublishAsync(
        string topicArn, string message, IReadOnlyDictionary<string, string>? attributes = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(topicArn);
        ArgumentNullException.ThrowIfNull(message);

        var form = new List<KeyValuePair<string, string>> { new("TopicArn", topicArn), new("Message", message) };
        AddEntries(form, "MessageAttributes", attributes, (name, value) => [("Name", name), ("Value.DataType", "String"), ("Value.StringValue", value)]);
        return Required(await _query.SendAsync("Publish", form, cancellationToken), "MessageId");
    }

    /// <summary>Creates a topic, or returns the existing one's ARN (CreateTopic is idempotent).</summary>
    public async Task<string> CreateTopicAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return Required(await _query.SendAsync("CreateTopic", [new("Name", name)], cancellationToken), "TopicArn");
    }

    /// <summary>Subscribes an endpoint (for SQS, a queue ARN); returns the subscription ARN.</summary>
    public async Task<string> SubscribeAsync(
        string topicArn, string protocol, string endpoint, IReadOnlyDictionary<string, string>? attributes = null, CancellationToken cancellationToken = default)
    {
        var form = new List<KeyValuePair<string, string>> { new("TopicArn", topicArn), new("Protocol", protocol), new("Endpoint", endpoint), new("ReturnSubscriptionArn", "true") };
        AddEntries(form, "Attributes", attributes, (name, value) => [("key", name), ("value", value)]);
        return Required(await _query.SendAsync("Subscribe", form, cancellationToken), "SubscriptionArn");
    }

    /// <summary>SNS writes maps as <c>{map}.entry.{n}.{field}</c>.</summary>
    private static void AddEntries(
        List<KeyValuePair<string, string>> form,
        string map,
        IReadOnlyDictionary<string, string>? entries,
        Func<string, string, (string Field, string Value)[]> fields)
    {
        var index = 1;
        foreach (var (name, value) in entries ?? new Dictionary<string, string>())
        {
            var prefix = $"{map}.entry.{index++.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
            foreach (var (field, text) in fields(name, value))
            {
                form.Add(new($"{prefix}.{field}", text));
            }
        }
    }

    private static string Required(System.Xml.Linq.XElement result, string name) =>
        AwsQueryClient.Child(result, name)
        ?? throw new SnsException("InvalidResponse", $"No {name} in the answer.", System.Net.HttpStatusCode.OK);
}

/// <summary>Overrides of the default chains; null keeps the SDK's resolution.</summary>
public sealed class SnsClientOptions
{
    public string? Region { get; init; }

    public Uri? ServiceUrl { get; init; }

    public AWSCredentials? Credentials { get; init; }
}
