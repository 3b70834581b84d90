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

    private readonly JobQueueOptions _options = options.Value;
    private string? _queueUrl;
    private string? _deadLetterUrl;

    public async Task EnqueueAsync(Guid mediaId, CancellationToken cancellationToken) =>
        await sqs.SendMessageAsync(new SendMessageRequest
        {
            QueueUrl = await QueueUrlAsync(cancellationToken),
            MessageBody = JsonSerializer.Serialize(new ProcessingJob(mediaId)),
            MessageAttributes = TraceContext(),
        }, cancellationToken);

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
            WaitTimeSeconds = 20,
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
            await QueueUrlAsync(cancellationToken), message.ReceiptHandle, (int)delay.TotalSeconds, cancellationToken);

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
