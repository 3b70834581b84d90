using System.Diagnostics;
using Amazon.SQS;
using Amazon.SQS.Model;

namespace Desirable.Hosting.Tests;

/// <summary>
/// The emulator's long polls wake at the next message deadline rather than every 20 ms (Emulator/quiet-long-polls.mjs):
/// a message that becomes visible while a receive waits still reaches it then, not at the end of the wait.
/// </summary>
public sealed class FauxqsLongPollTests : IAsyncLifetime
{
    private const int LongPollSeconds = 15;

    /// <summary>Far below the long poll, far above the one-second deadlines: only a receive left waiting misses it.</summary>
    private static readonly TimeSpan WellBeforeTheEndOfTheWait = TimeSpan.FromSeconds(8);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private FauxqsEmulator _emulator = null!;
    private AmazonSQSClient _sqs = null!;
    private string _queueUrl = null!;

    public async ValueTask InitializeAsync()
    {
        _emulator = await FauxqsEmulator.StartInTemporaryFolderAsync(Ct);
        _sqs = EmulatorClients.Sqs(_emulator.ServiceUrl);
        _queueUrl = (await _sqs.CreateQueueAsync($"long-poll-{Guid.NewGuid():N}", Ct)).QueueUrl;
    }

    public async ValueTask DisposeAsync()
    {
        _sqs.Dispose();
        await _emulator.DisposeAsync();
    }

    [Fact]
    public async Task ADelayedMessageReachesAReceiveThatIsAlreadyWaiting()
    {
        var clock = Stopwatch.StartNew();
        var receive = ReceiveAsync(visibilityTimeoutSeconds: 30);
        await Task.Delay(300, Ct);
        await _sqs.SendMessageAsync(new SendMessageRequest { QueueUrl = _queueUrl, MessageBody = "later", DelaySeconds = 1 }, Ct);

        var messages = await receive;

        Assert.Equal("later", Assert.Single(messages).Body);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1), WellBeforeTheEndOfTheWait);
    }

    [Fact]
    public async Task AMessageWhoseVisibilityEndsComesBackToAReceiveThatIsAlreadyWaiting()
    {
        await _sqs.SendMessageAsync(_queueUrl, "again", Ct);
        var first = Assert.Single(await ReceiveAsync(visibilityTimeoutSeconds: 1));

        var clock = Stopwatch.StartNew();
        var again = Assert.Single(await ReceiveAsync(visibilityTimeoutSeconds: 30));

        Assert.Equal(first.MessageId, again.MessageId);
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, WellBeforeTheEndOfTheWait);
    }

    [Fact]
    public async Task AMessageSentDuringAWaitIsReceivedAtOnceAndAnEmptyWaitLastsItsTime()
    {
        var clock = Stopwatch.StartNew();
        var receive = ReceiveAsync(visibilityTimeoutSeconds: 30);
        await Task.Delay(300, Ct);
        await _sqs.SendMessageAsync(_queueUrl, "now", Ct);

        Assert.Equal("now", Assert.Single(await receive).Body);
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, WellBeforeTheEndOfTheWait);

        // Nothing left: the next receive waits its whole (short) time and returns empty.
        clock.Restart();
        var empty = await _sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = _queueUrl, WaitTimeSeconds = 2 }, Ct);
        Assert.Empty(empty.Messages ?? []);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1.9), $"An empty long poll returned after {clock.Elapsed}.");
    }

    private async Task<List<Message>> ReceiveAsync(int visibilityTimeoutSeconds) =>
        (await _sqs.ReceiveMessageAsync(new ReceiveMessageRequest
        {
            QueueUrl = _queueUrl,
            WaitTimeSeconds = LongPollSeconds,
            VisibilityTimeout = visibilityTimeoutSeconds,
            MaxNumberOfMessages = 1,
        }, Ct)).Messages ?? [];
}
