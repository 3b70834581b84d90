using System.Collections.Concurrent;
using System.Diagnostics;
using Desirable.Media.Jobs;
using Desirable.Media.Model;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Desirable.MediaProcessor.Tests;

/// <summary>
/// What the dashboard's traces show of processing, read from the spans the real API, queue, worker and SNS produce:
/// an upload's processing continues the upload's trace, and the processor's idle polls are not traced at all.
/// </summary>
public sealed class ProcessingTraceTests(ProcessingFixture fixture) : IClassFixture<ProcessingFixture>
{
    private static readonly ActivitySource TestSource = new("Desirable.Tests.Tracing");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnUploadsProcessingAndItsEventJoinTheUploadsTrace()
    {
        var stopped = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Add,
        };
        ActivitySource.AddActivityListener(listener);

        var id = await ProcessingFixture.UploadAsync(fixture.Client, TestImages.Jpeg(400, 300), "traced.jpg");
        var final = await fixture.WaitForFinalAsync(id);

        var processing = await Eventually(() => stopped.FirstOrDefault(a =>
            a.OperationName == "process media" && (string?)a.GetTagItem("desirable.media.id") == id.ToString()));
        Assert.NotEqual(default, processing.ParentSpanId);
        // The request that stored the upload and sent the job is the root of the same trace.
        Assert.Contains(stopped, a => a.TraceId == processing.TraceId && a.OperationName == "Microsoft.AspNetCore.Hosting.HttpRequestIn" && a.Parent is null);
        // The event's publish is part of the processing, and so is the job's delete once the item is Ready, rather than
        // a trace of its own. Both are POSTs to the emulator's root (SNS's Query and SQS's JSON protocol), which no
        // other call of a job is (S3 goes to bucket and key).
        var servicePosts = stopped.Where(a => a.TraceId == processing.TraceId && a.Kind == ActivityKind.Client &&
            a.ParentSpanId == processing.SpanId && (string?)a.GetTagItem("http.request.method") == "POST" &&
            Uri.TryCreate((string?)a.GetTagItem("url.full"), UriKind.Absolute, out var url) && url.AbsolutePath == "/").ToList();
        Assert.True(servicePosts.Count == 2, $"expected the SNS publish and the SQS delete under the processing span, found {servicePosts.Count}");
        Assert.Equal(MediaStatus.Ready, final.Status);
    }

    [Fact]
    public async Task AnIdlePollAndTheDepthSampleAreNotTracedWhileOtherCallsAre_WithTheOpenTelemetrySdk()
    {
        var exported = new List<Activity>();
        using var provider = Sdk.CreateTracerProviderBuilder()
            .AddSource(TestSource.Name)
            .AddHttpClientInstrumentation()
            .AddInMemoryExporter(exported)
            .Build();
        var jobs = new ProcessingJobs(fixture.Sqs, Options.Create(new JobQueueOptions { QueueName = fixture.DeadLetterQueueName }));
        // The dead-letter queue is empty: a poll finds nothing, as an idle processor's do. The first poll also looks up
        // the queue's URL (once per process), which is not traced either: a processor starting would show it as traces.
        ActivityTraceId traceId;
        using (var test = TestSource.StartActivity("idle poll"))
        {
            traceId = test!.TraceId;
            await PollBrieflyAsync(jobs);
            // The queue-depth sample, every 15 s, is just as routine.
            await jobs.ApproximateDepthAsync(Ct);
            // Control: any other call in the same trace is recorded, so the instrumentation is live.
            await fixture.Sqs.GetQueueAttributesAsync(fixture.DeadLetterQueueUrl, ["QueueArn"], Ct);
        }

        provider.ForceFlush();
        var httpSpans = exported.Where(a => a.TraceId == traceId && a.Kind == ActivityKind.Client).ToList();
        Assert.Single(httpSpans);
    }

    /// <summary>A poll cut short after 1 s instead of the 20 s long-poll.</summary>
    private static async Task PollBrieflyAsync(ProcessingJobs jobs)
    {
        using var shortPoll = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        shortPoll.CancelAfter(TimeSpan.FromSeconds(1));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => jobs.ReceiveAsync(1, shortPoll.Token));
    }

    private static async Task<Activity> Eventually(Func<Activity?> find)
    {
        for (var i = 0; i < 50; i++)
        {
            if (find() is { } found)
            {
                return found;
            }

            await Task.Delay(100, Ct);
        }

        throw new TimeoutException("The span never ended.");
    }
}
