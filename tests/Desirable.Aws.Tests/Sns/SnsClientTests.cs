using System.Net;
using Amazon.Runtime;
using Amazon.SQS;
using Desirable.Aws.Sns;

namespace Desirable.Aws.Tests;

/// <summary>
/// The SNS client against the real emulator: topics, SQS subscriptions, publishing, and its errors. A fauxqs of its
/// own, since the shared one sets the AWS variables process-wide and this project tests how they are read.
/// </summary>
public sealed class SnsClientTests : IAsyncLifetime
{
    private FauxqsEmulator _emulator = null!;
    private SnsClient _sns = null!;
    private AmazonSQSClient _sqs = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _emulator = await FauxqsEmulator.StartInTemporaryFolderAsync(Ct);
        _sns = EmulatorClients.Sns(_emulator.ServiceUrl);
        _sqs = EmulatorClients.Sqs(_emulator.ServiceUrl);
    }

    [Fact]
    public async Task APublishedMessageArrivesOnASubscribedQueueWithItsAttributes()
    {
        var topic = await _sns.CreateTopicAsync($"topic-{Guid.NewGuid():N}", Ct);
        var queueUrl = (await _sqs.CreateQueueAsync($"sub-{Guid.NewGuid():N}", Ct)).QueueUrl;
        var queueArn = (await _sqs.GetQueueAttributesAsync(queueUrl, ["QueueArn"], Ct)).QueueARN;
        var subscription = await _sns.SubscribeAsync(topic, "sqs", queueArn, new Dictionary<string, string> { ["RawMessageDelivery"] = "false" }, Ct);

        var messageId = await _sns.PublishAsync(topic, "{\"hello\":\"wörld & more=1\"}", new Dictionary<string, string> { ["type"] = "media.ready" }, Ct);

        Assert.StartsWith(topic, subscription, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(messageId));
        var received = await _sqs.ReceiveMessageAsync(new Amazon.SQS.Model.ReceiveMessageRequest { QueueUrl = queueUrl, WaitTimeSeconds = 5 }, Ct);
        var envelope = System.Text.Json.JsonDocument.Parse(Assert.Single(received.Messages).Body).RootElement;
        Assert.Equal(messageId, envelope.GetProperty("MessageId").GetString());
        Assert.Equal("{\"hello\":\"wörld & more=1\"}", envelope.GetProperty("Message").GetString());
        Assert.Equal("media.ready", envelope.GetProperty("MessageAttributes").GetProperty("type").GetProperty("Value").GetString());
    }

    [Fact]
    public async Task CreatingATopicTwiceGivesTheSameArn()
    {
        var name = $"topic-{Guid.NewGuid():N}";

        Assert.Equal(await _sns.CreateTopicAsync(name, Ct), await _sns.CreateTopicAsync(name, Ct));
    }

    [Fact]
    public async Task PublishingToAMissingTopicIsAnSnsErrorWithItsCode()
    {
        var error = await Assert.ThrowsAsync<SnsException>(() =>
            _sns.PublishAsync("arn:aws:sns:us-east-1:000000000000:no-such-topic", "x", cancellationToken: Ct));

        Assert.Equal("NotFound", error.Code);
        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
    }

    [Fact]
    public async Task AnEndpointThatIsNotSnsGivesAClearError()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        var port = LoopbackPort.Free();
        var sns = EmulatorClients.Sns(new Uri($"http://127.0.0.1:{port}/"));

        await Assert.ThrowsAsync<HttpRequestException>(() => sns.PublishAsync("arn:aws:sns:us-east-1:000000000000:t", "x", cancellationToken: Ct));
    }

    public async ValueTask DisposeAsync()
    {
        _sqs.Dispose();
        await _emulator.DisposeAsync();
    }
}
