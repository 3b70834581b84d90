using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Desirable.Aws.Sns;
using Desirable.Contracts.Events;
using Desirable.Media.Catalog;
using Desirable.Media.Jobs;
using Desirable.Media.Model;
using Microsoft.Extensions.Options;

namespace Desirable.MediaProcessor.Events;

/// <summary>
/// Publishes the event an item owes (<see cref="MediaItem.EventPending"/>) to the events topic, then marks it paid. A
/// publish that fails leaves the mark, and the event goes out later: on the job's next delivery, or from the
/// reconciler's sweep. So every Ready and Failed is published at least once; the event id lets subscribers drop the
/// rare duplicate (a crash between the publish and the mark, or a retried request).
/// </summary>
public sealed class MediaEventPublisher(
    SnsClient sns, IMediaCatalog catalog, IOptions<ProcessingOptions> options, ILogger<MediaEventPublisher> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Publishes what <paramref name="item"/> owes, if anything; false when it is still owed.</summary>
    public async Task<bool> PublishOwedAsync(MediaItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (!item.EventPending || !item.Status.IsFinal())
        {
            return true;
        }

        var topic = options.Value.EventsTopicArn;
        if (!string.IsNullOrWhiteSpace(topic) && !await TryPublishAsync(topic, item, cancellationToken))
        {
            return false;
        }

        // With no topic configured (logged at start) nothing is owed to anyone.
        try
        {
            await catalog.TryClearEventPendingAsync(item.Id, item.Version, CancellationToken.None);
        }
        catch (Exception e)
        {
            // Published but still marked: it goes out once more, with the same id.
            logger.LogWarning(e, "The {Status} event of {MediaId} was published but not marked so; it will be published again.", item.Status, item.Id);
        }

        return true;
    }

    private async Task<bool> TryPublishAsync(string topic, MediaItem item, CancellationToken cancellationToken)
    {
        var body = MediaEvents.From(item);
        var attributes = new Dictionary<string, string>
        {
            [MediaEvent.TypeAttribute] = body.Type,
            [MediaEvent.VersionAttribute] = MediaEvent.CurrentVersion.ToString(CultureInfo.InvariantCulture),
        };
        // Subscribers can continue the trace of the upload and its processing (W3C trace context, as on the job).
        if (Activity.Current is { IdFormat: ActivityIdFormat.W3C, Id: { } traceParent })
        {
            attributes[ProcessingJobs.TraceParentAttribute] = traceParent;
        }

        try
        {
            // One request: the HTTP client's resilience handler already retries what is transient, and the outbox
            // retries the rest later, so a loop here would only multiply the duplicates.
            await sns.PublishAsync(topic, JsonSerializer.Serialize(body, Json), attributes, cancellationToken);
            return true;
        }
        catch (Exception e) when (e is SnsException or HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(e, "The {Status} event of {MediaId} could not be published to {Topic}; it stays owed and is sent again later.",
                item.Status, item.Id, topic);
            return false;
        }
    }
}
