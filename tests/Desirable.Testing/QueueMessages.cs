using Amazon.SQS;
using Amazon.SQS.Model;

namespace Desirable.Testing;

/// <summary>Reading a queue in tests: wait (bounded) for the message about one item, leaving every other message alone.</summary>
public static class QueueMessages
{
    /// <summary>
    /// Receives until a message whose body mentions <paramref name="mediaId"/> arrives, deletes and returns it.
    /// Others become visible again after a second, for the tests that wait for them.
    /// </summary>
    public static async Task<Message> WaitForAsync(IAmazonSQS sqs, string queueUrl, string mediaId, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        while (DateTime.UtcNow < deadline)
        {
            var received = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest
            {
                QueueUrl = queueUrl,
                MaxNumberOfMessages = 10,
                WaitTimeSeconds = 1,
                VisibilityTimeout = 1,
                MessageAttributeNames = ["All"],
            });
            foreach (var message in received.Messages ?? [])
            {
                if (message.Body.Contains(mediaId, StringComparison.OrdinalIgnoreCase))
                {
                    await sqs.DeleteMessageAsync(queueUrl, message.ReceiptHandle);
                    return message;
                }
            }
        }

        throw new TimeoutException($"No message about {mediaId} arrived on {queueUrl} within {patience.TotalSeconds} s.");
    }

    /// <summary>Messages in the queue, visible or in flight.</summary>
    public static async Task<int> DepthAsync(IAmazonSQS sqs, string queueUrl, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sqs);
        var attributes = await sqs.GetQueueAttributesAsync(queueUrl, ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"], cancellationToken);
        return attributes.ApproximateNumberOfMessages + attributes.ApproximateNumberOfMessagesNotVisible;
    }
}
