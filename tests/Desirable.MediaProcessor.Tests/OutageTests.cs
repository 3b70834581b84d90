using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Amazon.SQS;
using Amazon.SQS.Model;
using Desirable.Media.Catalog;
using Desirable.Media.Catalog.Sqlite;
using Desirable.Media.Model;
using Desirable.Media.Storage;
using Microsoft.Data.Sqlite;

namespace Desirable.MediaProcessor.Tests;

/// <summary>
/// The fault suite's outage: S3, SQS and SNS (the emulator, which keeps its queues and objects on disk) gone for a
/// while as uploads arrive and jobs run, then back. The media service and the processor run as processes of their own
/// against an emulator of their own, so stopping it touches no other test. While it is away, uploads are refused with
/// a 503 problem detail and leave nothing behind; once it is back, every accepted upload ends Ready with its Ready event
/// published, and the bucket, the catalog and the queues hold exactly what those items need.
/// The outage lasts <c>DESIRABLE_OUTAGE_SECONDS</c> (15 in the test run; the full suite uses 60):
/// <c>DESIRABLE_OUTAGE_SECONDS=60 dotnet test tests/Desirable.MediaProcessor.Tests --filter "FullyQualifiedName~OutageTests"</c>.
/// </summary>
public sealed class OutageTests : IAsyncLifetime
{
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(
        int.TryParse(Environment.GetEnvironmentVariable("DESIRABLE_OUTAGE_SECONDS"), CultureInfo.InvariantCulture, out var seconds) ? seconds : 15);

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    private const string BucketName = "outage-media";
    private const string QueueName = "outage-jobs";
    private const string DeadLetterQueueName = "outage-jobs-dlq";

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("desirable-outage-");
    private FauxqsEmulator _emulator = null!;
    private AmazonSQSClient _sqs = null!;
    private Amazon.S3.AmazonS3Client _s3 = null!;
    private string _queueUrl = null!;
    private string _deadLetterUrl = null!;
    private string _eventsUrl = null!;
    private string _topicArn = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string CatalogConnectionString => $"Data Source={Path.Combine(_directory.FullName, "catalog.db")};Default Timeout=5";

    public async ValueTask InitializeAsync()
    {
        _emulator = await FauxqsEmulator.StartAsync(
            _directory.CreateSubdirectory("s3").FullName, _directory.CreateSubdirectory("state").FullName, CancellationToken.None);
        _s3 = EmulatorClients.S3(_emulator.ServiceUrl);
        _sqs = EmulatorClients.Sqs(_emulator.ServiceUrl);
        await _s3.PutBucketAsync(BucketName);
        _deadLetterUrl = (await _sqs.CreateQueueAsync(DeadLetterQueueName)).QueueUrl;
        var deadLetterArn = (await _sqs.GetQueueAttributesAsync(_deadLetterUrl, ["QueueArn"])).QueueARN;
        _queueUrl = (await _sqs.CreateQueueAsync(new CreateQueueRequest
        {
            QueueName = QueueName,
            Attributes = new Dictionary<string, string>
            {
                ["VisibilityTimeout"] = "5",
                ["RedrivePolicy"] = JsonSerializer.Serialize(new { deadLetterTargetArn = deadLetterArn, maxReceiveCount = "10" }),
            },
        })).QueueUrl;
        var sns = EmulatorClients.Sns(_emulator.ServiceUrl);
        _topicArn = await sns.CreateTopicAsync("outage-events");
        _eventsUrl = (await _sqs.CreateQueueAsync("outage-events")).QueueUrl;
        var eventsArn = (await _sqs.GetQueueAttributesAsync(_eventsUrl, ["QueueArn"])).QueueARN;
        await sns.SubscribeAsync(_topicArn, "sqs", eventsArn, new Dictionary<string, string> { ["RawMessageDelivery"] = "true" });
    }

    [Fact]
    public async Task AnOutageOfS3SqsAndSnsDuringUploadsAndProcessingLosesNothingOnceTheyAreBack()
    {
        var issuer = await LocalIssuer.GetAsync();
        var port = LoopbackPort.Free();
        var aws = new Dictionary<string, string>
        {
            ["AWS_ENDPOINT_URL"] = _emulator.ServiceUrl.ToString(),
            ["AWS_REGION"] = FauxqsEmulator.Region,
            ["AWS_ACCESS_KEY_ID"] = "test",
            ["AWS_SECRET_ACCESS_KEY"] = "test",
            ["ConnectionStrings:catalog"] = CatalogConnectionString,
            ["Storage:BucketName"] = BucketName,
            ["Storage:ForcePathStyle"] = "true",
            ["Processing:QueueName"] = QueueName,
        };
        using var media = ServiceProcess.Start("Desirable.MediaService", new Dictionary<string, string>(aws)
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["Identity:Authority"] = issuer.Authority,
            ["Identity:Audience"] = LocalIssuer.Audience,
        });
        // Short waits everywhere, so that what the outage cut off is finished within the test's patience; nothing is
        // given up for an outage.
        using var processor = ServiceProcess.Start("Desirable.MediaProcessor", new Dictionary<string, string>(aws)
        {
            ["Processing:DeadLetterQueueName"] = DeadLetterQueueName,
            ["Processing:EventsTopicArn"] = _topicArn,
            ["Processing:VisibilityTimeout"] = "00:00:05",
            ["Processing:MaxAttempts"] = "10",
            ["Processing:RetryBaseDelay"] = "00:00:01",
            ["Processing:RetryMaxDelay"] = "00:00:04",
            ["Processing:Concurrency"] = "2",
            ["Processing:ReconcileInterval"] = "00:00:02",
            ["Processing:ResendUploadedAfter"] = "00:00:05",
            ["Processing:RepublishEventsAfter"] = "00:00:02",
            ["Processing:FinishDeletesAfter"] = "00:00:02",
            ["Processing:GiveUpProcessingAfter"] = "00:10:00",
            ["Processing:BacklogPatience"] = "00:00:20",
            // A failure shows why the reconciler left an item alone.
            ["Logging:LogLevel:Desirable.MediaProcessor.ProcessingReconciler"] = "Debug",
            // As deployed: one JSON object per line, which the Monitoring stack's metric filters read.
            ["Logging:Console:FormatterName"] = "json",
        });

        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(90) };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await issuer.TokenAsync(LocalIssuer.Alice));
            await media.WaitUntilAliveAsync(client.BaseAddress!, TimeSpan.FromSeconds(30), Ct);

            // Three uploaders the whole time: before, during and after the outage.
            var outcomes = new ConcurrentQueue<UploadOutcome>();
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            var uploaders = Enumerable.Range(0, 3).Select(n => UploadUntilStoppedAsync(client, n, outcomes, stop.Token)).ToList();

            await Task.Delay(TimeSpan.FromSeconds(4), Ct);
            var acceptedBefore = outcomes.Count(o => o.Id is not null);
            await _emulator.StopAsync();
            var down = DateTime.UtcNow;
            await Task.Delay(Outage, Ct);
            await _emulator.RestartAsync(Ct);
            TestContext.Current.SendDiagnosticMessage($"The emulator was away {(DateTime.UtcNow - down).TotalSeconds:0.0} s.");
            await Task.Delay(TimeSpan.FromSeconds(4), Ct);
            await stop.CancelAsync();
            await Task.WhenAll(uploaders);

            // Every answer was a success or a plain, retryable refusal: 503 with a problem detail and Retry-After.
            var all = outcomes.ToList();
            var accepted = all.Where(o => o.Id is not null).Select(o => o.Id!.Value).ToList();
            var refused = all.Where(o => o.Id is null).ToList();
            TestContext.Current.SendDiagnosticMessage(
                $"{all.Count} uploads: {accepted.Count} accepted ({acceptedBefore} before the outage), {refused.Count} refused: " +
                string.Join(", ", refused.GroupBy(o => $"{o.Status} {o.Title}").Select(g => $"{g.Count()} x {g.Key}")));
            Assert.All(refused, o =>
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, o.Status);
                Assert.Equal("application/problem+json", o.ContentType);
                Assert.True(o.RetryAfter, "A 503 tells the client when to try again.");
                Assert.DoesNotContain("Exception", o.Detail, StringComparison.Ordinal);
            });
            Assert.NotEmpty(refused);
            Assert.True(acceptedBefore > 0 && accepted.Count > acceptedBefore, "Uploads were accepted before and after the outage.");

            // Once it is back: every accepted upload is processed and its Ready event published (at least once).
            IMediaCatalog catalog = new SqliteMediaCatalog(new SqliteCatalogOptions(CatalogConnectionString));
            foreach (var id in accepted)
            {
                var item = await WaitForFinalAsync(catalog, id);
                Assert.True(item.Status == MediaStatus.Ready, $"{id} ended {item.Status}: {item.StatusReason}");
            }

            var published = await ReadyEventsAsync(accepted);
            Assert.Empty(accepted.Except(published));

            // Each Ready entry of the processor's log carries the event id and processing time the dashboard counts.
            var readyEntries = processor.RecentOutput.Split('\n')
                .Where(line => line.StartsWith('{'))
                .Select(line => JsonDocument.Parse(line).RootElement)
                .Where(entry => entry.GetProperty("EventId").GetInt32() == Desirable.Contracts.ProcessorLogEvents.ItemReady)
                .ToList();
            Assert.NotEmpty(readyEntries);
            Assert.All(readyEntries, entry => Assert.True(entry.GetProperty("State").GetProperty("ElapsedMs").GetInt64() >= 0));

            // Nothing else: no entry, object, tombstone or job beyond the accepted items and their variants.
            await WaitUntilAsync(async () => (await CatalogRowsAsync()).Count == accepted.Count, Patience,
                "The catalog keeps entries no accepted upload made.");
            Assert.Equal(accepted.Order(), (await CatalogRowsAsync()).Order());
            string[] expected =
            [
                .. accepted.SelectMany(id => new[] { MediaObjectKeys.Original(id), MediaObjectKeys.Variant(id, MediaVariantName.Thumb), MediaObjectKeys.Variant(id, MediaVariantName.Preview) }),
            ];
            await WaitUntilAsync(async () => (await BucketContents.ListAsync(_s3, BucketName, _emulator.S3StorageDirectory)).Count == expected.Length, Patience,
                "The bucket keeps objects no accepted upload made.");
            Assert.Equal(expected.Order(StringComparer.Ordinal), await BucketContents.ListAsync(_s3, BucketName, _emulator.S3StorageDirectory));
            await WaitUntilAsync(async () => await DepthAsync(_queueUrl) == 0, Patience, "The job queue did not empty.");
            Assert.Equal(0, await DepthAsync(_deadLetterUrl));
            Assert.False(media.HasExited || processor.HasExited, "A service died in the outage.");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The services' own account of what went wrong, beside the assertion's.
            throw new Xunit.Sdk.XunitException(
                $"{e.Message}{Environment.NewLine}{Environment.NewLine}media service:{Environment.NewLine}{Tail(media.RecentOutput)}" +
                $"{Environment.NewLine}{Environment.NewLine}processor:{Environment.NewLine}{Tail(processor.RecentOutput)}", e);
        }
    }

    private static string Tail(string output) => string.Join(Environment.NewLine, output.Split('\n').TakeLast(80));

    private sealed record UploadOutcome(Guid? Id, HttpStatusCode Status, string? ContentType, string? Title, string Detail, bool RetryAfter);

    private static async Task UploadUntilStoppedAsync(HttpClient client, int uploader, ConcurrentQueue<UploadOutcome> outcomes, CancellationToken stop)
    {
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            using var form = TestMedia.Form(($"outage-{uploader}-{n}.jpg", TestImages.Jpeg(400 + n % 50, 300)));
            // The request itself is not cut when the test stops, so each outcome is a whole answer.
            using var response = await client.PostAsync("/v3.0/media", form, CancellationToken.None);
            var body = await response.Content.ReadAsStringAsync(CancellationToken.None);
            var json = JsonDocument.Parse(body).RootElement;
            outcomes.Enqueue(response.StatusCode == HttpStatusCode.Created
                ? new UploadOutcome(json.GetProperty("id").GetGuid(), response.StatusCode, null, null, "", false)
                : new UploadOutcome(null, response.StatusCode, response.Content.Headers.ContentType?.MediaType,
                    json.TryGetProperty("title", out var title) ? title.GetString() : null,
                    json.TryGetProperty("detail", out var detail) ? detail.GetString() ?? "" : body,
                    response.Headers.RetryAfter is not null));
            try
            {
                await Task.Delay(100, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static async Task<MediaItem> WaitForFinalAsync(IMediaCatalog catalog, Guid id)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < deadline)
        {
            if (await catalog.FindAsync(id, CancellationToken.None) is { Status: MediaStatus.Ready or MediaStatus.Failed } item)
            {
                return item;
            }

            await Task.Delay(250, Ct);
        }

        throw new TimeoutException($"{id} is still {(await catalog.FindAsync(id, CancellationToken.None))?.Status} {Patience.TotalSeconds} s after the outage.");
    }

    /// <summary>The items whose Ready event arrived, read until all of <paramref name="expected"/> have (or patience ends).</summary>
    private async Task<HashSet<Guid>> ReadyEventsAsync(IReadOnlyCollection<Guid> expected)
    {
        var seen = new HashSet<Guid>();
        var deadline = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < deadline && !expected.All(seen.Contains))
        {
            var received = await _sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = _eventsUrl, MaxNumberOfMessages = 10, WaitTimeSeconds = 1 }, Ct);
            foreach (var message in received.Messages ?? [])
            {
                var body = JsonDocument.Parse(message.Body).RootElement;
                if (body.GetProperty("status").GetString() == "Ready")
                {
                    seen.Add(body.GetProperty("mediaId").GetGuid());
                }

                await _sqs.DeleteMessageAsync(_eventsUrl, message.ReceiptHandle, Ct);
            }
        }

        return seen;
    }

    /// <summary>Every row of the catalog, Deleting ones included (the API and the catalog's lists hide those).</summary>
    private async Task<List<Guid>> CatalogRowsAsync() => [.. (await CatalogFile.StatusesAsync(CatalogConnectionString, Ct)).Keys];

    private Task<int> DepthAsync(string queueUrl) => QueueMessages.DepthAsync(_sqs, queueUrl, Ct);

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan patience, string failure)
    {
        var deadline = DateTime.UtcNow + patience;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(250, Ct);
        }

        Assert.Fail(failure);
    }

    public async ValueTask DisposeAsync()
    {
        _s3?.Dispose();
        _sqs?.Dispose();
        if (_emulator is not null)
        {
            await _emulator.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        _directory.Delete(recursive: true);
    }
}
