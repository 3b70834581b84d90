using Amazon.SQS.Model;
using Desirable.Media.Jobs;
using Microsoft.Extensions.Options;

namespace Desirable.MediaProcessor;

/// <summary>
/// Consumes the job queue with <see cref="ProcessingOptions.Concurrency"/> long-polling loops. A message is deleted
/// only after the job's result is stored; while a job runs, its message's invisibility is extended, so a long job is
/// not handed to a second processor; if this process dies, the message reappears after the visibility timeout and
/// another processor finishes the job.
/// </summary>
public sealed class ProcessingWorker(
    ProcessingJobs jobs,
    Videos.FfmpegAvailability ffmpeg,
    IServiceScopeFactory scopes,
    ProcessingMetrics metrics,
    IOptions<ProcessingOptions> options,
    IOptions<JobQueueOptions> queue,
    ILogger<ProcessingWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        logger.LogInformation("Processing {Queue} with {Concurrency} workers.", queue.Value.QueueName, settings.Concurrency);
        if (await ffmpeg.ProblemAsync() is { } problem)
        {
            logger.LogWarning("Videos cannot be processed: {Problem}", problem);
        }

        if (string.IsNullOrWhiteSpace(settings.EventsTopicArn))
        {
            logger.LogWarning("Processing:EventsTopicArn is not set; Ready and Failed events are not published.");
        }

        var loops = Enumerable.Range(0, settings.Concurrency).Select(_ => RunLoopAsync(stoppingToken)).Append(WatchDepthAsync(stoppingToken));
        await Task.WhenAll(loops);
    }

    private async Task RunLoopAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                foreach (var message in await jobs.ReceiveAsync(1, stoppingToken))
                {
                    await HandleAsync(message, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The queue or the catalog is unreachable: wait a little rather than spin.
                logger.LogError(e, "Processing loop error; retrying in 5 s.");
                await PauseAsync(TimeSpan.FromSeconds(5), stoppingToken);
            }
        }
    }

    private async Task HandleAsync(Message message, CancellationToken stoppingToken)
    {
        if (!ProcessingJobs.TryRead(message, out var mediaId))
        {
            logger.LogError("Unreadable job {MessageId} moved to the dead-letter queue.", message.MessageId);
            await jobs.DeadLetterAsync(message, "The job message is not a processing job.", stoppingToken);
            return;
        }

        var attempt = ProcessingJobs.AttemptOf(message);
        // One span per delivery, in the trace of the upload that sent the job: the processing, the event, and the
        // message's delete, dead-lettering or release, which would otherwise each be a trace of their own.
        using var activity = MediaItemProcessor.ActivitySource.StartActivity(
            MediaItemProcessor.ActivityName, System.Diagnostics.ActivityKind.Consumer, ProcessingJobs.TraceOf(message));
        activity?.SetTag("desirable.media.id", mediaId.ToString());
        activity?.SetTag("desirable.processing.attempt", attempt);
        using var heartbeat = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var keepInvisible = KeepInvisibleAsync(message, heartbeat.Token);
        JobResult result;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var processor = scope.ServiceProvider.GetRequiredService<MediaItemProcessor>();
            result = await processor.ProcessAsync(mediaId, attempt, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: leave the message alone; it comes back after the visibility timeout.
            return;
        }
        catch (Exception e)
        {
            // The catalog could not even be read: wait it out like any temporary failure. After the last attempt the
            // queue's redrive policy moves the job to the dead-letter queue; the item stays as it was, for the
            // reconciler (Uploaded: resent) or the redrive command.
            var wait = RetryBackoff.After(attempt, options.Value, Random.Shared.NextDouble());
            logger.LogWarning(e, "Job {MessageId} for {MediaId} could not start (attempt {Attempt}); trying again in {Wait}.", message.MessageId, mediaId, attempt, wait);
            result = new JobResult(JobOutcome.Retry, null, wait);
        }
        finally
        {
            await heartbeat.CancelAsync();
            await keepInvisible;
        }

        activity?.SetTag("desirable.processing.outcome", result.Outcome.ToString());
        switch (result.Outcome)
        {
            case JobOutcome.Done:
                await jobs.DeleteAsync(message, CancellationToken.None);
                break;
            case JobOutcome.GaveUp:
                await jobs.DeadLetterAsync(message, result.Reason ?? "Processing failed.", CancellationToken.None);
                break;
            case JobOutcome.Retry:
                // SQS's own redelivery does the waiting: the message stays invisible that long, and no worker is held.
                await jobs.ReleaseAsync(message, result.RetryAfter, CancellationToken.None);
                break;
        }
    }

    private async Task KeepInvisibleAsync(Message message, CancellationToken cancellationToken)
    {
        var every = queue.Value.VisibilityTimeout / 2;
        try
        {
            while (true)
            {
                await Task.Delay(every, cancellationToken);
                await jobs.ExtendAsync(message, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // The job ended.
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not extend the visibility of job {MessageId}.", message.MessageId);
        }
    }

    private async Task WatchDepthAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                metrics.QueueDepth(await jobs.ApproximateDepthAsync(stoppingToken));
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogDebug(e, "Queue depth unavailable.");
            }

            await PauseAsync(TimeSpan.FromSeconds(15), stoppingToken);
        }
    }

    /// <summary>Waits, or returns early when the service stops; the loops then see the token and end.</summary>
    private static async Task PauseAsync(TimeSpan delay, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(delay, stoppingToken);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}
