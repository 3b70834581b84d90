using System.Globalization;
using System.Text.Json;
using Amazon.SQS.Model;
using Desirable.Media.Model;
using Desirable.Media.Storage;

namespace Desirable.MediaProcessor.Tests;

/// <summary>
/// The fault suite: the processor killed (SIGKILL) again and again while jobs are in flight. Whatever was cut off is
/// redelivered and finished: every item ends Ready or Failed as its file deserves, none stays Uploaded or Processing,
/// and the bucket holds exactly each item's objects, no more (no orphan variant, no open upload).
/// 20 trials (about 20 seconds; <c>DESIRABLE_FAULT_TRIALS</c> changes it), alone:
/// <c>dotnet test tests/Desirable.MediaProcessor.Tests --filter "FullyQualifiedName~FaultTests"</c>.
/// </summary>
public sealed class FaultTests(ProcessingFixture fixture) : IClassFixture<ProcessingFixture>
{
    private static int Trials => int.TryParse(Environment.GetEnvironmentVariable("DESIRABLE_FAULT_TRIALS"), CultureInfo.InvariantCulture, out var trials) ? trials : 20;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AProcessorKilledMidJobAgainAndAgainLosesNothingAndLeavesNothing()
    {
        // Attempts enough for every kill to land on the same job without it being given up; short visibility, so
        // what a killed processor held comes back in seconds.
        var queueName = $"faults-{Guid.NewGuid():N}";
        var queueUrl = (await fixture.Sqs.CreateQueueAsync(new CreateQueueRequest
        {
            QueueName = queueName,
            Attributes = new Dictionary<string, string>
            {
                ["VisibilityTimeout"] = "3",
                ["RedrivePolicy"] = JsonSerializer.Serialize(new { deadLetterTargetArn = await fixture.QueueArnAsync(fixture.DeadLetterQueueUrl), maxReceiveCount = "100" }),
            },
        }, Ct)).QueueUrl;
        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings:catalog"] = fixture.CatalogConnectionString,
            ["Storage:BucketName"] = fixture.BucketName,
            ["Storage:ForcePathStyle"] = "true",
            ["Processing:QueueName"] = queueName,
            ["Processing:DeadLetterQueueName"] = fixture.DeadLetterQueueName,
            ["Processing:EventsTopicArn"] = fixture.TopicArn,
            ["Processing:VisibilityTimeout"] = "00:00:03",
            ["Processing:MaxAttempts"] = "100",
            ["Processing:RetryBaseDelay"] = "00:00:01",
            ["Processing:RetryMaxDelay"] = "00:00:02",
            ["Processing:Concurrency"] = "2",
        };

        // A few files that must fail whatever happens, then each trial brings fresh work and kills the processor
        // while it holds some: once an item is Processing, at a random moment of its job.
        await using var api = fixture.StartApi(queueName);
        using var client = api.CreateClient();
        var valid = new List<Guid>();
        var refused = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            refused.Add(await ProcessingFixture.UploadAsync(client, TestImages.BombPng(50_000, 50_000 + i), $"bomb-{i}.png"));
        }

        var random = new Random(20);
        var midJob = 0;
        for (var trial = 0; trial < Trials; trial++)
        {
            var fresh = new[]
            {
                await ProcessingFixture.UploadAsync(client, TestImages.Png(2400 + trial, 1800), $"photo-{trial}-a.png"),
                await ProcessingFixture.UploadAsync(client, TestImages.Jpeg(4000, 3000 - trial), $"photo-{trial}-b.jpg"),
            };
            valid.AddRange(fresh);
            using var processor = ServiceProcess.Start("Desirable.MediaProcessor", settings);
            Assert.True(await WaitUntilAsync(async () => (await StatusesAsync(valid)).Contains(MediaStatus.Processing), TimeSpan.FromSeconds(30)),
                "The processor never took a job.");
            await Task.Delay(random.Next(0, 300), Ct);
            var inFlight = (await StatusesAsync(valid)).Contains(MediaStatus.Processing);
            processor.Kill();
            midJob += inFlight ? 1 : 0;
        }

        // Most kills must have cut a job off, or the suite proves little.
        Assert.True(midJob * 2 >= Trials, $"Only {midJob} of {Trials} kills landed while a job was in flight.");
        TestContext.Current.SendDiagnosticMessage($"{Trials} kills, {midJob} of them with a job in flight.");

        // A processor that is left to run finishes everything the killed ones held.
        using (ServiceProcess.Start("Desirable.MediaProcessor", settings))
        {
            foreach (var id in valid.Concat(refused))
            {
                await fixture.WaitForFinalAsync(id);
            }

            await fixture.WaitUntilEmptyAsync(queueUrl);
        }

        var items = await Task.WhenAll(valid.Concat(refused).Select(id => fixture.Catalog.FindAsync(id, CancellationToken.None)));
        Assert.All(items.Take(valid.Count), item => Assert.Equal(MediaStatus.Ready, item!.Status));
        Assert.All(items.Skip(valid.Count), item => Assert.Equal(MediaStatus.Failed, item!.Status));

        // Exactly each item's objects: the original, and the two variants of every Ready one; no leftovers.
        string[] expected =
        [
            .. valid.SelectMany(id => new[] { MediaObjectKeys.Original(id), MediaObjectKeys.Variant(id, MediaVariantName.Thumb), MediaObjectKeys.Variant(id, MediaVariantName.Preview) }),
            .. refused.Select(MediaObjectKeys.Original),
        ];
        var ours = (await fixture.BucketContentsAsync())
            .Where(k => valid.Concat(refused).Any(id => k.Contains(id.ToString(), StringComparison.Ordinal)) || k.StartsWith("open multipart", StringComparison.Ordinal));
        Assert.Equal(expected.Order(StringComparer.Ordinal), ours.Order(StringComparer.Ordinal));
    }

    private async Task<IReadOnlyList<MediaStatus>> StatusesAsync(IEnumerable<Guid> ids) =>
        [.. (await Task.WhenAll(ids.Select(id => fixture.Catalog.FindAsync(id, CancellationToken.None)))).Select(i => i!.Status)];

    private static async Task<bool> WaitUntilAsync(Func<Task<bool>> condition, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(20, Ct);
        }

        return false;
    }
}
