using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Amazon.SQS;
using Amazon.SQS.Model;
using Microsoft.Extensions.Options;
using OpenTelemetry;

namespace Desirable.Media.Jobs;

/// <summary>The job queue and its dead-letter queue in SQS. A job is only an item id; everything else is in the catalog.</summary>
public sealed class ProcessingJobs(IAmazonSQS sqs, IOptions<JobQueueOptions> options)
{
    public const string ReasonAttribute = "desirable-failure-reason";

    /// <summary>W3C trace context of the request that sent the job, so that its processing joins the upload's trace.</summary>
    public const string TraceParentAttribute = "traceparent";

    public const string TraceStateAttribute = "tracestate";

    /// <summary>How long a receive waits for a job to arrive (SQS's longest long poll).</summary>
    public static readonly TimeSpan LongPoll = TimeSpan.FromSeconds(20);

    private readonly JobQueueOptions _options = options.Value;
    private string? _queueUrl;
    private string? _deadLetterUrl;

    /// <summary>
    /// Sends the job of <paramref name="mediaId"/>. The client gives each request the long poll's extra time, which a
    /// send does not need, so the whole send (its retries included) is bounded by one request's timeout; past it, a
    /// <see cref="TimeoutException"/> says SQS is not answering.
    /// </summary>
    public async Task EnqueueAsync(Guid mediaId, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.RequestTimeout);
        try
        {
            await sqs.SendMessageAsync(new SendMessageRequest
            {
                QueueUrl = await QueueUrlAsync(deadline.Token),
                MessageBody = JsonSerializer.Serialize(new ProcessingJob(mediaId)),
                MessageAttributes = TraceContext(),
            }, deadline.Token);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"SQS did not take the job of {mediaId} within {_options.RequestTimeout.TotalSeconds:0.#} s.", e);
        }
    }

    /// <summary>
    /// Long-polls for up to <paramref name="max"/> jobs; each stays invisible to others for the visibility timeout. The
    /// poll itself is not traced: an idle processor polls three times a minute, and each poll would be a trace of its
    /// own, burying the uploads in the dashboard. A job's processing is traced, in the trace of the upload that sent it.
    /// </summary>
    public async Task<IReadOnlyList<Message>> ReceiveAsync(int max, CancellationToken cancellationToken)
    {
        // Untraced from the URL lookup on: the first poll's lookup is as routine as the poll.
        using var untraced = SuppressInstrumentationScope.Begin();
        var queueUrl = await QueueUrlAsync(cancellationToken);
        var response = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest
        {
            QueueUrl = queueUrl,
            MaxNumberOfMessages = Math.Clamp(max, 1, 10),
            WaitTimeSeconds = (int)LongPoll.TotalSeconds,
            VisibilityTimeout = (int)_options.VisibilityTimeout.TotalSeconds,
            MessageSystemAttributeNames = ["ApproximateReceiveCount"],
            MessageAttributeNames = [TraceParentAttribute, TraceStateAttribute],
        }, cancellationToken);
        return response.Messages ?? [];
    }

    /// <summary>The trace the job was sent from, or none (a job sent by the reconciler, or by hand).</summary>
    public static ActivityContext TraceOf(Message message) =>
        message.MessageAttributes is { } attributes &&
        attributes.TryGetValue(TraceParentAttribute, out var parent) &&
        ActivityContext.TryParse(parent.StringValue, attributes.GetValueOrDefault(TraceStateAttribute)?.StringValue, isRemote: true, out var context)
            ? context
            : default;

    private static Dictionary<string, MessageAttributeValue>? TraceContext()
    {
        if (Activity.Current is not { IdFormat: ActivityIdFormat.W3C, Id: { } id } current)
        {
            return null;
        }

        var attributes = new Dictionary<string, MessageAttributeValue>
        {
            [TraceParentAttribute] = new() { DataType = "String", StringValue = id },
        };
        if (!string.IsNullOrEmpty(current.TraceStateString))
        {
            attributes[TraceStateAttribute] = new() { DataType = "String", StringValue = current.TraceStateString };
        }

        return attributes;
    }

    /// <summary>The attempt this delivery is: 1 for the first receive.</summary>
    public static int AttemptOf(Message message) =>
        message.Attributes is { } attributes && attributes.TryGetValue("ApproximateReceiveCount", out var count) &&
        int.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out var attempt) ? attempt : 1;

    public static bool TryRead(Message message, out Guid mediaId)
    {
        mediaId = Guid.Empty;
        try
        {
            var job = JsonSerializer.Deserialize<ProcessingJob>(message.Body);
            mediaId = job?.MediaId ?? Guid.Empty;
            return mediaId != Guid.Empty;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    public async Task DeleteAsync(Message message, CancellationToken cancellationToken) =>
        await sqs.DeleteMessageAsync(await QueueUrlAsync(cancellationToken), message.ReceiptHandle, cancellationToken);

    /// <summary>Keeps a running job invisible for another visibility timeout.</summary>
    public async Task ExtendAsync(Message message, CancellationToken cancellationToken) =>
        await sqs.ChangeMessageVisibilityAsync(
            await QueueUrlAsync(cancellationToken), message.ReceiptHandle, (int)_options.VisibilityTimeout.TotalSeconds, cancellationToken);

    /// <summary>Lets the job be received again after <paramref name="delay"/> (a retry with back-off).</summary>
    public async Task ReleaseAsync(Message message, TimeSpan delay, CancellationToken cancellationToken) =>
        await sqs.ChangeMessageVisibilityAsync(
            await QueueUrlAsync(cancellationToken), message.ReceiptHandle, (int)Math.Clamp(delay.TotalSeconds, 0, MaxInvisibleSeconds), cancellationToken);

    /// <summary>SQS keeps a message invisible for at most 12 hours.</summary>
    public const int MaxInvisibleSeconds = 12 * 60 * 60;

    /// <summary>Moves a job that was given up to the dead-letter queue with the reason, then off the job queue.</summary>
    public async Task DeadLetterAsync(Message message, string reason, CancellationToken cancellationToken)
    {
        _deadLetterUrl ??= (await sqs.GetQueueUrlAsync(_options.DeadLetterQueueName, cancellationToken)).QueueUrl;
        await sqs.SendMessageAsync(new SendMessageRequest
        {
            QueueUrl = _deadLetterUrl,
            MessageBody = message.Body,
            MessageAttributes = new Dictionary<string, MessageAttributeValue>
            {
                [ReasonAttribute] = new() { DataType = "String", StringValue = reason.Length <= 1000 ? reason : reason[..1000] },
            },
        }, cancellationToken);
        await DeleteAsync(message, cancellationToken);
    }

    /// <summary>
    /// Jobs waiting to be received (not those in flight or waiting for a retry): more than none means a backlog, in
    /// which a job the catalog waits for may simply be queued.
    /// </summary>
    public async Task<long> BacklogAsync(CancellationToken cancellationToken)
    {
        using var untraced = SuppressInstrumentationScope.Begin();
        var attributes = await sqs.GetQueueAttributesAsync(new GetQueueAttributesRequest
        {
            QueueUrl = await QueueUrlAsync(cancellationToken),
            AttributeNames = ["ApproximateNumberOfMessages"],
        }, cancellationToken);
        return Convert.ToInt64(attributes.ApproximateNumberOfMessages, CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Moves up to <paramref name="max"/> jobs from the dead-letter queue back to the job queue, calling
    /// <paramref name="prepare"/> with each job's item first (to make it processable again). A job whose body is not a
    /// job, or whose <paramref name="prepare"/> returns false, stays in the dead-letter queue.
    /// </summary>
    /// <returns>How many went back, and how many stayed.</returns>
    public async Task<(int Moved, int Kept)> RedriveAsync(int max, Func<Guid, Task<bool>> prepare, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prepare);
        _deadLetterUrl ??= (await sqs.GetQueueUrlAsync(_options.DeadLetterQueueName, cancellationToken)).QueueUrl;
        var queueUrl = await QueueUrlAsync(cancellationToken);
        var (moved, kept) = (0, 0);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (moved + kept < max)
        {
            // Received invisibly for a while, so that one pass does not see a kept message twice.
            var batch = (await sqs.ReceiveMessageAsync(new ReceiveMessageRequest
            {
                QueueUrl = _deadLetterUrl,
                MaxNumberOfMessages = Math.Clamp(max - moved - kept, 1, 10),
                WaitTimeSeconds = 0,
                VisibilityTimeout = 30,
            }, cancellationToken)).Messages ?? [];
            var fresh = batch.Where(m => seen.Add(m.MessageId)).ToList();
            if (fresh.Count == 0)
            {
                break;
            }

            foreach (var message in fresh)
            {
                if (TryRead(message, out var mediaId) && await prepare(mediaId))
                {
                    await sqs.SendMessageAsync(queueUrl, JsonSerializer.Serialize(new ProcessingJob(mediaId)), cancellationToken);
                    await sqs.DeleteMessageAsync(_deadLetterUrl, message.ReceiptHandle, cancellationToken);
                    moved++;
                }
                else
                {
                    kept++;
                }
            }
        }

        return (moved, kept);
    }

    /// <summary>
    /// Visible plus in-flight jobs, for the queue-depth metric. Sampled every 15 s, so not traced, like the poll: the
    /// metric is what shows it.
    /// </summary>
    public async Task<long> ApproximateDepthAsync(CancellationToken cancellationToken)
    {
        using var untraced = SuppressInstrumentationScope.Begin();
        var queueUrl = await QueueUrlAsync(cancellationToken);
        var attributes = await sqs.GetQueueAttributesAsync(new GetQueueAttributesRequest
        {
            QueueUrl = queueUrl,
            AttributeNames = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
        }, cancellationToken);
        return Convert.ToInt64(attributes.ApproximateNumberOfMessages, CultureInfo.InvariantCulture) +
            Convert.ToInt64(attributes.ApproximateNumberOfMessagesNotVisible, CultureInfo.InvariantCulture);
    }

    // Looked up on first use and kept; a failed lookup is simply tried again next time.
    private async Task<string> QueueUrlAsync(CancellationToken cancellationToken) =>
        _queueUrl ??= (await sqs.GetQueueUrlAsync(_options.QueueName, cancellationToken)).QueueUrl;
}

/// <summary>The message body.</summary>
public sealed record ProcessingJob(Guid MediaId);
