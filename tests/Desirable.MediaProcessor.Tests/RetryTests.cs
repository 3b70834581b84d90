using System.Net;
using System.Net.Http.Json;
using Amazon.SQS.Model;
using Desirable.Contracts;
using Desirable.Media.Jobs;
using Desirable.Media.Model;
using Desirable.Media.Storage;
using Desirable.MediaProcessor.Commands;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Desirable.MediaProcessor.Tests;

/// <summary>
/// Temporary failures are waited out through SQS's redelivery, with growing waits; only a permanent cause fails an
/// item at once; what still failed can be redriven for real; the reconciler leaves queued jobs alone. Its own fixture,
/// because the redrive takes every job in the dead-letter queue.
/// </summary>
public sealed class RetryTests(ProcessingFixture fixture) : IClassFixture<ProcessingFixture>
{
    private const string CommandKey = "test-command-key";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AStorageOutageIsWaitedOutThenGivenUpWithAPlainReasonAndTheRedriveReallyProcessesIt()
    {
        // The processor's bucket does not exist yet: every attempt fails for a reason that may pass.
        var outageBucket = $"outage-{Guid.NewGuid():N}"[..30];
        var (queueUrl, queueName) = await fixture.CreateQueueAsync("outage");
        await using var pipeline = fixture.StartPipeline(queueName,
            ("Storage:BucketName", outageBucket),
            ("Processing:MaxAttempts", "3"),
            ("Processing:RetryBaseDelay", "00:00:01"),
            ("Processing:RetryMaxDelay", "00:00:02"),
            ("Processing:CommandKey", CommandKey));
        var id = await ProcessingFixture.UploadAsync(pipeline.ApiClient, TestImages.Jpeg(640, 480), "outage.jpg");

        // While it waits, the owner reads why, and the item is not Failed.
        var waiting = await WaitForAsync(id, i => i.StatusReason?.Contains("trying again", StringComparison.Ordinal) == true);
        Assert.Equal(MediaStatus.Processing, waiting.Status);

        var failed = await fixture.WaitForFinalAsync(id);
        Assert.Equal(MediaStatus.Failed, failed.Status);
        Assert.Contains("temporary reason", failed.StatusReason, StringComparison.Ordinal);
        Assert.DoesNotContain("Bucket", failed.StatusReason, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(id.ToString(), (await fixture.WaitForMessageAsync(fixture.DeadLetterQueueUrl, id)).Body, StringComparison.Ordinal);
        // Reading it took it off the dead-letter queue; put it back for the redrive to find.
        await fixture.Sqs.SendMessageAsync(fixture.DeadLetterQueueUrl, System.Text.Json.JsonSerializer.Serialize(new ProcessingJob(id)), Ct);

        // The outage ends: the bucket exists and holds the original. The redrive starts the item over.
        await fixture.S3.PutBucketAsync(outageBucket, Ct);
        await fixture.S3.CopyObjectAsync(fixture.BucketName, MediaObjectKeys.Original(id), outageBucket, MediaObjectKeys.Original(id), Ct);
        var redrive = await RedriveAsync(pipeline, CommandKey);
        Assert.Equal(HttpStatusCode.OK, redrive.StatusCode);
        var result = await redrive.Content.ReadFromJsonAsync<RedriveCommandResponse>(Ct);
        Assert.Equal(1, result!.Redriven);
        Assert.Equal("1 job(s) sent back for processing.", result.Message);

        var ready = await WaitForAsync(id, i => i.Status == MediaStatus.Ready);
        Assert.Null(ready.StatusReason);
        Assert.NotNull(ready.Thumb);
        await fixture.WaitUntilEmptyAsync(queueUrl);
        await fixture.WaitUntilEmptyAsync(fixture.DeadLetterQueueUrl);

        // A second run has nothing to do, and says so.
        var again = await (await RedriveAsync(pipeline, CommandKey)).Content.ReadFromJsonAsync<RedriveCommandResponse>(Ct);
        Assert.Equal("The dead-letter queue is empty: there is nothing to redrive.", again!.Message);
    }

    [Fact]
    public async Task TheRedriveNeedsTheKeyAndDoesNotExistWithoutOne()
    {
        var (_, queueName) = await fixture.CreateQueueAsync("keyed");
        await using (var keyed = fixture.StartPipeline(queueName, ("Processing:CommandKey", CommandKey)))
        {
            using var wrong = await RedriveAsync(keyed, "not-the-key");
            Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
            Assert.Equal("application/problem+json", wrong.Content.Headers.ContentType?.MediaType);
        }

        await using var unkeyed = fixture.StartPipeline(queueName);
        using var missing = await RedriveAsync(unkeyed, CommandKey);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task WithABacklogTheReconcilerNeitherResendsNorFailsWaitingItemsAndAfterItDoes()
    {
        // A queue with a job nobody has received yet: the items' own jobs may be behind it.
        var (queueUrl, queueName) = await fixture.CreateQueueAsync("backlog");
        await fixture.Sqs.SendMessageAsync(queueUrl, System.Text.Json.JsonSerializer.Serialize(new ProcessingJob(Guid.CreateVersion7())), Ct);
        var uploaded = await fixture.StoreUploadedItemAsync(TestImages.Jpeg(64, 64), updatedAt: DateTimeOffset.UtcNow.AddHours(-2));
        var processing = await fixture.StoreUploadedItemAsync(TestImages.Jpeg(64, 64), updatedAt: DateTimeOffset.UtcNow.AddHours(-2));
        var item = await fixture.Catalog.FindAsync(processing, CancellationToken.None);
        await fixture.Catalog.TryUpdateStatusAsync(processing, item!.Version, MediaStatus.Processing, null, DateTimeOffset.UtcNow.AddHours(-2), CancellationToken.None);
        var before = (await fixture.Catalog.FindAsync(uploaded, CancellationToken.None), await fixture.Catalog.FindAsync(processing, CancellationToken.None));

        var reconciler = ReconcilerOn(queueName);
        await reconciler.ReconcileAsync(Ct);

        Assert.Equal(before, (await fixture.Catalog.FindAsync(uploaded, CancellationToken.None), await fixture.Catalog.FindAsync(processing, CancellationToken.None)));
        Assert.Equal(1, (await fixture.Sqs.GetQueueAttributesAsync(queueUrl, ["ApproximateNumberOfMessages"], Ct)).ApproximateNumberOfMessages);

        // The backlog drains: now the lost job is sent again (once per ResendUploadedAfter), and the dead item fails.
        var queued = await fixture.Sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = queueUrl, WaitTimeSeconds = 1 }, Ct);
        await fixture.Sqs.DeleteMessageAsync(queueUrl, queued.Messages[0].ReceiptHandle, Ct);
        await reconciler.ReconcileAsync(Ct);
        await reconciler.ReconcileAsync(Ct);

        Assert.Contains(uploaded.ToString(), (await QueueMessages.WaitForAsync(fixture.Sqs, queueUrl, uploaded.ToString(), ProcessingFixture.Patience)).Body, StringComparison.Ordinal);
        await Assert.ThrowsAsync<TimeoutException>(() => QueueMessages.WaitForAsync(fixture.Sqs, queueUrl, uploaded.ToString(), TimeSpan.FromSeconds(2)));
        var givenUp = await fixture.Catalog.FindAsync(processing, CancellationToken.None);
        Assert.Equal(MediaStatus.Failed, givenUp!.Status);
        Assert.Contains("Redrive failed jobs", givenUp.StatusReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnderABacklogThatNeverDrainsALostJobIsStillResentAndADeadItemGivenUpOnceTheyWaitedThePatience()
    {
        // Under a steady load the queue is never empty: a job lost then must not wait for a quiet moment that never comes.
        var (queueUrl, queueName) = await fixture.CreateQueueAsync("endless-backlog");
        await fixture.Sqs.SendMessageAsync(queueUrl, System.Text.Json.JsonSerializer.Serialize(new ProcessingJob(Guid.CreateVersion7())), Ct);
        var uploaded = await fixture.StoreUploadedItemAsync(TestImages.Jpeg(64, 64), updatedAt: DateTimeOffset.UtcNow.AddHours(-3));
        var processing = await fixture.StoreUploadedItemAsync(TestImages.Jpeg(64, 64), updatedAt: DateTimeOffset.UtcNow.AddHours(-3));
        var item = await fixture.Catalog.FindAsync(processing, CancellationToken.None);
        await fixture.Catalog.TryUpdateStatusAsync(processing, item!.Version, MediaStatus.Processing, null, DateTimeOffset.UtcNow.AddHours(-3), CancellationToken.None);
        var settings = fixture.ProcessorServices.GetRequiredService<IOptions<ProcessingOptions>>().Value;
        Assert.Equal(TimeSpan.FromHours(6), settings.BacklogPatience);

        var patient = ActivatorUtilities.CreateInstance<ProcessingReconciler>(fixture.ProcessorServices,
            new ProcessingJobs(fixture.Sqs, Options.Create(new JobQueueOptions { QueueName = queueName })),
            Options.Create(new ProcessingOptions { BacklogPatience = TimeSpan.FromHours(1), ReconcileInterval = settings.ReconcileInterval }));
        await patient.ReconcileAsync(Ct);

        Assert.Contains(uploaded.ToString(), (await QueueMessages.WaitForAsync(fixture.Sqs, queueUrl, uploaded.ToString(), ProcessingFixture.Patience)).Body, StringComparison.Ordinal);
        Assert.Equal(MediaStatus.Failed, (await fixture.Catalog.FindAsync(processing, CancellationToken.None))!.Status);
    }

    [Fact]
    public void TheDefaultRetriesOutlastAnOutageOfMoreThan45MinutesWithJitteredDoublingWaits()
    {
        var defaults = new ProcessingOptions();

        Assert.Equal(Desirable.Infrastructure.MediaStack.ProcessingAttempts, defaults.MaxAttempts);
        Assert.InRange(RetryBackoff.LongestSpan(defaults), TimeSpan.FromMinutes(45), TimeSpan.FromHours(2));
        Assert.Equal([10, 20, 40, 80, 160, 320, 640, 900, 900], Enumerable.Range(1, 9).Select(a => RetryBackoff.Full(a, defaults).TotalSeconds));
        Assert.Equal(TimeSpan.FromSeconds(40), RetryBackoff.After(3, defaults, 0.999999));
        Assert.Equal(TimeSpan.FromSeconds(20), RetryBackoff.After(3, defaults, 0));
        Assert.Equal(TimeSpan.FromSeconds(900), RetryBackoff.After(40, defaults, 0.999999));
    }

    private ProcessingReconciler ReconcilerOn(string queueName) =>
        ActivatorUtilities.CreateInstance<ProcessingReconciler>(fixture.ProcessorServices,
            new ProcessingJobs(fixture.Sqs, Options.Create(new JobQueueOptions { QueueName = queueName })));

    private static async Task<HttpResponseMessage> RedriveAsync(MediaPipeline pipeline, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, ProcessorCommands.RedrivePath);
        request.Headers.Add(ProcessorCommands.KeyHeader, key);
        return await pipeline.ProcessorClient.SendAsync(request, Ct);
    }

    private async Task<MediaItem> WaitForAsync(Guid id, Func<MediaItem, bool> condition)
    {
        var deadline = DateTime.UtcNow + ProcessingFixture.Patience;
        while (DateTime.UtcNow < deadline)
        {
            if (await fixture.Catalog.FindAsync(id, CancellationToken.None) is { } item && condition(item))
            {
                return item;
            }

            await Task.Delay(100, Ct);
        }

        throw new TimeoutException($"Item {id} did not reach the expected state within {ProcessingFixture.Patience.TotalSeconds} s.");
    }
}
