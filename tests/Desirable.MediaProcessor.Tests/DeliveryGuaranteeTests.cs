using System.Net;
using System.Text.Json;
using Amazon.SQS.Model;
using Desirable.Media.Catalog;
using Desirable.Media.Catalog.Sqlite;
using Desirable.Media.Jobs;
using Desirable.Media.Model;
using Desirable.MediaProcessor.Events;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Desirable.MediaProcessor.Tests;

/// <summary>
/// What must hold when things happen at the worst moment: a delete racing the processor, an event that cannot be
/// published, a processor that dies between its result and its event. Real queue, bucket, topic and catalog; the
/// races are made to happen by holding one service at a point while the other works.
/// </summary>
public sealed class DeliveryGuaranteeTests(ProcessingFixture fixture) : IClassFixture<ProcessingFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ADeleteThatRacesTheProcessorLeavesNoObjectNoEntryAndNoEvent()
    {
        var (queueUrl, queueName) = await fixture.CreateQueueAsync("race");
        var id = await fixture.StoreUploadedItemAsync(TestImages.Jpeg(1000, 800));

        // The API is held after it has dealt with the objects and before it deletes the entry; the processor gets the
        // job exactly then. Before the Deleting mark, the processor found the entry, failed on the missing original,
        // and announced a Failed item its owner had deleted.
        var objectsDealtWith = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var processorDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var pipeline = fixture.StartPipeline(queueName, services => services.AddSingleton<IMediaCatalog>(
            new GatedCatalog(new SqliteMediaCatalog(new SqliteCatalogOptions(fixture.CatalogConnectionString)), async _ =>
            {
                objectsDealtWith.TrySetResult();
                await processorDone.Task.WaitAsync(ProcessingFixture.Patience);
            })));

        var delete = pipeline.ApiClient.DeleteAsync($"/v3.0/media/{id}", Ct);
        await objectsDealtWith.Task.WaitAsync(ProcessingFixture.Patience, Ct);
        await fixture.Sqs.SendMessageAsync(queueUrl, JsonSerializer.Serialize(new ProcessingJob(id)), Ct);
        await fixture.WaitUntilEmptyAsync(queueUrl);
        processorDone.SetResult();

        using (var deleted = await delete)
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        Assert.Null(await fixture.Catalog.FindAsync(id, CancellationToken.None));
        Assert.DoesNotContain(await fixture.BucketContentsAsync(), k => k.Contains(id.ToString(), StringComparison.Ordinal));
        await Assert.ThrowsAsync<TimeoutException>(() => QueueMessages.WaitForAsync(fixture.Sqs, fixture.EventsQueueUrl, id.ToString(), TimeSpan.FromSeconds(3)));
        await Assert.ThrowsAsync<TimeoutException>(() => QueueMessages.WaitForAsync(fixture.Sqs, fixture.DeadLetterQueueUrl, id.ToString(), TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task AnItemBeingDeletedIsGoneForReadsAndASecondDeleteFinishesIt()
    {
        // A delete cut off after its mark: the owner no longer sees the item, and deleting again finishes the job.
        var id = await fixture.StoreUploadedItemAsync(TestImages.Jpeg(64, 64));
        var item = await fixture.Catalog.FindAsync(id, CancellationToken.None);
        await fixture.Catalog.TryUpdateStatusAsync(id, item!.Version, MediaStatus.Deleting, null, DateTimeOffset.UtcNow, CancellationToken.None);

        using (var read = await fixture.Client.GetAsync($"/v3.0/media/{id}", Ct))
        {
            Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
        }

        var listed = await fixture.Client.GetStringAsync("/v3.0/media?limit=100", Ct);
        Assert.DoesNotContain(id.ToString(), listed, StringComparison.Ordinal);
        using (var filtered = await fixture.Client.GetAsync("/v3.0/media?status=Deleting", Ct))
        {
            Assert.Equal(HttpStatusCode.BadRequest, filtered.StatusCode);
        }

        using (var deleted = await fixture.Client.DeleteAsync($"/v3.0/media/{id}", Ct))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        Assert.Null(await fixture.Catalog.FindAsync(id, CancellationToken.None));
        Assert.DoesNotContain(await fixture.BucketContentsAsync(), k => k.Contains(id.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheReconcilerFinishesADeleteThatWasCutOff()
    {
        var id = await fixture.StoreUploadedItemAsync(TestImages.Jpeg(64, 64), updatedAt: DateTimeOffset.UtcNow.AddHours(-1));
        var item = await fixture.Catalog.FindAsync(id, CancellationToken.None);
        await fixture.Catalog.TryUpdateStatusAsync(id, item!.Version, MediaStatus.Deleting, null, DateTimeOffset.UtcNow.AddHours(-1), CancellationToken.None);

        await Reconciler.ReconcileAsync(Ct);

        Assert.Null(await fixture.Catalog.FindAsync(id, CancellationToken.None));
        Assert.DoesNotContain(await fixture.BucketContentsAsync(), k => k.Contains(id.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnUploadWhoseCommitLostItsAnswerIsRefusedAndWhateverLandedIsRemovedOnceS3IsBack()
    {
        // S3 takes the object and the connection breaks before it says so; deleting it again fails too. The upload is
        // refused as retryable, and the object that did land is recorded as Deleting, so the reconciler removes it.
        var (_, queueName) = await fixture.CreateQueueAsync("cut-off");
        CutOffS3 control = null!;
        var before = await fixture.BucketContentsAsync();
        await using var pipeline = fixture.StartPipeline(queueName,
            services =>
            {
                var registered = services.Last(d => d.ServiceType == typeof(Amazon.S3.IAmazonS3));
                services.AddSingleton(provider =>
                {
                    (var client, control) = S3Proxy.Wrap<CutOffS3>((Amazon.S3.IAmazonS3)registered.ImplementationFactory!(provider));
                    return client;
                });
            },
            ("Processing:FinishDeletesAfter", "00:00:02"));

        using var form = TestMedia.Form(("cut-off.jpg", TestImages.Jpeg(640, 480)));
        using var response = await pipeline.ApiClient.PostAsync("/v3.0/media", form, Ct);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(response.Headers.RetryAfter);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement;
        Assert.Equal("Storage unavailable", problem.GetProperty("title").GetString());

        var landed = Assert.Single((await fixture.BucketContentsAsync()).Except(before));
        var id = Guid.Parse(landed.Split('/')[1]);
        Assert.Equal(MediaStatus.Deleting, (await fixture.Catalog.FindAsync(id, CancellationToken.None))?.Status);
        using (var read = await pipeline.ApiClient.GetAsync($"/v3.0/media/{id}", Ct))
        {
            Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
        }

        // S3 is back, and the delete was cut off long enough ago for the reconciler to take it as unfinished.
        control.DeletesFail = false;
        await Task.Delay(TimeSpan.FromSeconds(2), Ct);
        await pipeline.Processor.Services.GetServices<IHostedService>().OfType<ProcessingReconciler>().Single().ReconcileAsync(Ct);
        Assert.Null(await fixture.Catalog.FindAsync(id, CancellationToken.None));
        Assert.Equal(before, await fixture.BucketContentsAsync());
    }

    [Fact]
    public async Task AnEventThatCouldNotBePublishedGoesOutLaterOnceWithItsId()
    {
        // A processor whose topic refuses the publish: the item is Ready, and the event stays owed instead of lost.
        var (_, queueName) = await fixture.CreateQueueAsync("outbox");
        await using (var pipeline = fixture.StartPipeline(queueName, ("Processing:EventsTopicArn", fixture.TopicArn + "-missing")))
        {
            var id = await ProcessingFixture.UploadAsync(pipeline.ApiClient, TestImages.Jpeg(800, 600), "owed.jpg");
            var ready = await fixture.WaitForFinalAsync(id);
            Assert.Equal(MediaStatus.Ready, ready.Status);
            Assert.True(ready.EventPending);

            // The processor with the right topic sweeps the outbox: the event arrives, with the id of that version.
            await Reconciler.ReconcileAsync(Ct);
            var message = await fixture.WaitForMessageAsync(fixture.EventsQueueUrl, id);
            var body = JsonDocument.Parse(message.Body).RootElement;
            Assert.Equal(MediaEvents.EventIdOf(ready), body.GetProperty("eventId").GetGuid());
            Assert.Equal("media.ready", body.GetProperty("type").GetString());

            var paid = await fixture.Catalog.FindAsync(id, CancellationToken.None);
            Assert.Equal(ready with { EventPending = false }, paid);
            await Reconciler.ReconcileAsync(Ct);
            await Assert.ThrowsAsync<TimeoutException>(() => QueueMessages.WaitForAsync(fixture.Sqs, fixture.EventsQueueUrl, id.ToString(), TimeSpan.FromSeconds(2)));
        }
    }

    [Fact]
    public async Task AJobRedeliveredAfterItsProcessorDiedBeforeTheEventPublishesIt()
    {
        // The processor stored Ready and died before publishing: the catalog says the event is owed, the job comes back.
        var id = await fixture.StoreUploadedItemAsync(TestImages.Jpeg(64, 64));
        var item = await fixture.Catalog.FindAsync(id, CancellationToken.None);
        var ready = await fixture.Catalog.TryReplaceAsync(
            item! with { Status = MediaStatus.Ready, EventPending = true, Width = 64, Height = 64 }, item.Version, CancellationToken.None);

        await fixture.Sqs.SendMessageAsync(fixture.QueueUrl, JsonSerializer.Serialize(new ProcessingJob(id)), Ct);

        var message = await fixture.WaitForMessageAsync(fixture.EventsQueueUrl, id);
        Assert.Equal(MediaEvents.EventIdOf(ready!), JsonDocument.Parse(message.Body).RootElement.GetProperty("eventId").GetGuid());
        await fixture.WaitUntilEmptyAsync(fixture.QueueUrl);
        Assert.False((await fixture.Catalog.FindAsync(id, CancellationToken.None))!.EventPending);
    }

    [Fact]
    public void EventIdsAreStablePerVersionAndDifferBetweenVersionsAndItems()
    {
        var item = new MediaItem
        {
            Id = Guid.Parse("0193f0e2-5b7c-7c3e-9d1a-2f4b6c8d0e1f"),
            Owner = "o",
            DisplayName = "d",
            ContentType = "image/jpeg",
            Kind = MediaKind.Image,
            Size = 1,
            Sha256 = "",
            Status = MediaStatus.Ready,
            CreatedAt = default,
            UpdatedAt = default,
            Version = 3,
        };

        var id = MediaEvents.EventIdOf(item);
        Assert.Equal(id, MediaEvents.EventIdOf(item with { UpdatedAt = DateTimeOffset.UnixEpoch }));
        Assert.NotEqual(id, MediaEvents.EventIdOf(item with { Version = 4 }));
        Assert.NotEqual(id, MediaEvents.EventIdOf(item with { Id = Guid.CreateVersion7() }));
        Assert.Equal(8, id.Version);
        Assert.Equal("0193f0e2-5b7c-7c3e-9d1a-2f4b6c8d0e1f", item.Id.ToString());
    }

    private ProcessingReconciler Reconciler =>
        fixture.ProcessorServices.GetServices<IHostedService>().OfType<ProcessingReconciler>().Single();
}
