using System.Diagnostics;
using System.Text.Json;
using Desirable.Aws.Sns;
using Desirable.Contracts.Events;
using Desirable.Media.Jobs;
using Desirable.Media.Model;
using Microsoft.Extensions.Options;

namespace Desirable.MediaProcessor.Events;

/// <summary>Publishes Ready and Failed to the events topic, with a few quick retries.</summary>
public sealed class MediaEventPublisher(SnsClient sns, IOptions<ProcessingOptions> options, ILogger<MediaEventPublisher> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task PublishAsync(MediaItem item, CancellationToken cancellationToken)
    {
        var topic = options.Value.EventsTopicArn;
        if (string.IsNullOrWhiteSpace(topic))
        {
            return;
        }

        var body = MediaEvents.From(item);
        var message = JsonSerializer.Serialize(body, Json);
        var attributes = new Dictionary<string, string>
        {
            [MediaEvent.TypeAttribute] = body.Type,
            [MediaEvent.VersionAttribute] = MediaEvent.CurrentVersion.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        // Subscribers can continue the trace of the upload and its processing (W3C trace context, as on the job).
        if (Activity.Current is { IdFormat: ActivityIdFormat.W3C, Id: { } traceParent })
        {
            attributes[ProcessingJobs.TraceParentAttribute] = traceParent;
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await sns.PublishAsync(topic, message, attributes, cancellationToken);
                return;
            }
            catch (Exception e) when (e is SnsException or HttpRequestException && attempt < 3)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), cancellationToken);
            }
            catch (Exception e) when (e is SnsException or HttpRequestException)
            {
                // The item's status is already stored and visible through the API; the event is what is lost.
                logger.LogError(e, "The {Status} event of {MediaId} could not be published to {Topic}.", item.Status, item.Id, topic);
                return;
            }
        }
    }
}
