using System.Text.Json;
using Desirable.Media.Jobs;
using Desirable.Media.Model;
using Microsoft.Data.Sqlite;

namespace Desirable.MediaProcessor.Tests;

/// <summary>
/// A fault of the fault suite: the catalog locked (SQLite's write lock held by another writer, as a long migration or
/// a stuck process would) while a job arrives. The job waits it out through SQS's redelivery and finishes once the
/// lock is gone; nothing is failed for it, nothing is lost.
/// </summary>
public sealed class CatalogLockTests(ProcessingFixture fixture) : IClassFixture<ProcessingFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AJobThatMeetsALockedCatalogWaitsItOutAndFinishes()
    {
        var (queueUrl, queueName) = await fixture.CreateQueueAsync("locked");
        var id = await fixture.StoreUploadedItemAsync(TestImages.Jpeg(800, 600));
        await using var pipeline = fixture.StartPipeline(queueName,
            ("Processing:RetryBaseDelay", "00:00:01"), ("Processing:RetryMaxDelay", "00:00:02"));

        // Another writer holds the lock for longer than the catalog's busy timeout (5 s here).
        await using (var blocker = new SqliteConnection(fixture.CatalogConnectionString))
        {
            await blocker.OpenAsync(Ct);
            await using var transaction = await blocker.BeginTransactionAsync(Ct);
            await using (var write = blocker.CreateCommand())
            {
                write.CommandText = "UPDATE media_items SET version = version WHERE 0";
                await write.ExecuteNonQueryAsync(Ct);
            }

            await fixture.Sqs.SendMessageAsync(queueUrl, JsonSerializer.Serialize(new ProcessingJob(id)), Ct);
            await Task.Delay(TimeSpan.FromSeconds(8), Ct);

            // Still waiting, not failed: the job met the lock and went back to the queue.
            Assert.Equal(MediaStatus.Uploaded, (await fixture.Catalog.FindAsync(id, CancellationToken.None))!.Status);
            var attributes = await fixture.Sqs.GetQueueAttributesAsync(queueUrl, ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"], Ct);
            Assert.Equal(1, attributes.ApproximateNumberOfMessages + attributes.ApproximateNumberOfMessagesNotVisible);
            await transaction.RollbackAsync(Ct);
        }

        var finished = await fixture.WaitForFinalAsync(id);
        Assert.Equal(MediaStatus.Ready, finished.Status);
        await fixture.WaitUntilEmptyAsync(queueUrl);
    }
}
