using System.Net;
using System.Text.Json;
using Amazon.SQS.Model;
using Desirable.Contracts.Events;
using Desirable.Media.Jobs;
using Desirable.Media.Model;
using Desirable.Media.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Desirable.MediaProcessor.Tests;

/// <summary>Uploads through the API become Ready or Failed through the real queue, worker, storage and SNS.</summary>
public sealed class ProcessingTests(ProcessingFixture fixture) : IClassFixture<ProcessingFixture>
{
    [Fact]
    public async Task AnUploadedJpegBecomesReadyWithBothVariantsAndTheEventArrives()
    {
        var id = await ProcessingFixture.UploadAsync(fixture.Client, TestImages.Jpeg(2000, 1500), "holiday.jpg");

        var item = await fixture.WaitForFinalAsync(id);

        Assert.Equal(MediaStatus.Ready, item.Status);
        Assert.Equal((2000, 1500), (item.Width, item.Height));
        Assert.Equal((320, 240), (item.Thumb!.Width, item.Thumb.Height));
        Assert.Equal((1280, 960), (item.Preview!.Width, item.Preview.Height));

        var json = JsonDocument.Parse(await fixture.Client.GetStringAsync($"/v3.0/media/{id}", TestContext.Current.CancellationToken)).RootElement;
        Assert.Equal("Ready", json.GetProperty("status").GetString());
        var thumbUrl = json.GetProperty("variants").GetProperty("thumb").GetProperty("url").GetString();
        Assert.Equal($"/v3.0/media/{id}/variants/thumb", thumbUrl);

        using var thumb = await fixture.Client.GetAsync(thumbUrl, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, thumb.StatusCode);
        Assert.Equal("image/jpeg", thumb.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"\"{item.Thumb.Sha256}\"", thumb.Headers.ETag?.Tag);
        using (var decoded = TestImages.Decode(await thumb.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken)))
        {
            Assert.Equal(320, decoded.Width);
        }

        Assert.Equal(
            [MediaObjectKeys.Original(id), MediaObjectKeys.Variant(id, "preview"), MediaObjectKeys.Variant(id, "thumb")],
            (await fixture.BucketContentsAsync()).Where(k => k.Contains(id.ToString(), StringComparison.Ordinal)).Order(StringComparer.Ordinal));

        var message = await fixture.WaitForMessageAsync(fixture.EventsQueueUrl, id);
        var published = JsonDocument.Parse(message.Body).RootElement;
        Assert.Equal("media.ready", published.GetProperty("type").GetString());
        Assert.Equal(id, published.GetProperty("mediaId").GetGuid());
        Assert.Equal(LocalIssuer.Alice, published.GetProperty("owner").GetString());
        Assert.Equal("Ready", published.GetProperty("status").GetString());
        Assert.Equal(thumbUrl, published.GetProperty("variants").GetProperty("thumb").GetProperty("url").GetString());
        // The body is the versioned contract, which a subscriber in .NET can read as it is.
        Assert.Equal(MediaEvent.CurrentVersion, published.GetProperty("version").GetInt32());
        var contract = JsonSerializer.Deserialize<MediaEvent>(message.Body, JsonSerializerOptions.Web)!;
        Assert.Equal((320, 240, "image/jpeg"), (contract.Variants["thumb"].Width, contract.Variants["thumb"].Height, contract.Variants["thumb"].ContentType));
    }

    [Fact]
    public async Task ARangeOfAVariantIsServedAndItsETagRevalidates()
    {
        var id = await ProcessingFixture.UploadAsync(fixture.Client, TestImages.Png(900, 600), "chart.png");
        var item = await fixture.WaitForFinalAsync(id);

        using var range = new HttpRequestMessage(HttpMethod.Get, $"/v3.0/media/{id}/variants/preview");
        range.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(0, 9);
        using var partial = await fixture.Client.SendAsync(range, TestContext.Current.CancellationToken);
        using var revalidate = new HttpRequestMessage(HttpMethod.Get, $"/v3.0/media/{id}/variants/thumb");
        revalidate.Headers.IfNoneMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue($"\"{item.Thumb!.Sha256}\""));
        using var notModified = await fixture.Client.SendAsync(revalidate, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal(10, (await partial.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken)).Length);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
    }

    [Theory]
    [InlineData("truncated", "truncated")]
    [InlineData("bomb", "50000 x 50000 pixels; at most 100,000,000")]
    public async Task ABrokenOrHostileImageEndsFailedWithItsReasonAndInTheDeadLetterQueue(string kind, string reason)
    {
        var jpeg = TestImages.Jpeg(1600, 1200);
        var bytes = kind == "bomb" ? TestImages.BombPng(50_000, 50_000) : jpeg[..(jpeg.Length / 2)];

        var id = await ProcessingFixture.UploadAsync(fixture.Client, bytes, "suspicious");
        var item = await fixture.WaitForFinalAsync(id);

        Assert.Equal(MediaStatus.Failed, item.Status);
        Assert.Contains(reason, item.StatusReason, StringComparison.Ordinal);
        var dead = await fixture.WaitForMessageAsync(fixture.DeadLetterQueueUrl, id);
        Assert.Equal(item.StatusReason, dead.MessageAttributes[ProcessingJobs.ReasonAttribute].StringValue);
        var failedEvent = JsonDocument.Parse((await fixture.WaitForMessageAsync(fixture.EventsQueueUrl, id)).Body).RootElement;
        Assert.Equal("media.failed", failedEvent.GetProperty("type").GetString());
        Assert.Equal(item.StatusReason, failedEvent.GetProperty("reason").GetString());

        using var variant = await fixture.Client.GetAsync($"/v3.0/media/{id}/variants/thumb", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, variant.StatusCode);
        Assert.Contains(reason, await variant.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal([MediaObjectKeys.Original(id)], (await fixture.BucketContentsAsync()).Where(k => k.Contains(id.ToString(), StringComparison.Ordinal)));
    }

    [Fact]
    public async Task AnImageNeedingMoreMemoryThanTheDecodeBudgetFailsAtOnceWithAPlainReason()
    {
        // 3000 x 2000 PNG: 24 MB of pixels and its first halving, against a budget of 16 MB. Refused from the
        // header: permanent, so the first attempt fails it and no retry follows.
        var (_, queueName) = await fixture.CreateQueueAsync("budget");
        await using var pipeline = fixture.StartPipeline(queueName, ("Processing:DecodeMemoryBudgetBytes", "16000000"));
        var id = await ProcessingFixture.UploadAsync(pipeline.ApiClient, TestImages.Png(3000, 2000), "wide.png");

        var failed = await fixture.WaitForFinalAsync(id);

        Assert.Equal(MediaStatus.Failed, failed.Status);
        Assert.StartsWith("The image is too large to process: decoding it needs about", failed.StatusReason, StringComparison.Ordinal);
        var deadLetter = await fixture.WaitForMessageAsync(fixture.DeadLetterQueueUrl, id);
        Assert.Equal(failed.StatusReason, deadLetter.MessageAttributes[ProcessingJobs.ReasonAttribute].StringValue);
    }

    [Fact]
    public async Task ADuplicateDeliveryOfAFinishedJobChangesNothing()
    {
        var id = await ProcessingFixture.UploadAsync(fixture.Client, TestImages.Jpeg(1200, 900), "twice.jpg");
        var first = await fixture.WaitForFinalAsync(id);
        var thumbBefore = await fixture.Client.GetByteArrayAsync($"/v3.0/media/{id}/variants/thumb", TestContext.Current.CancellationToken);

        await fixture.Sqs.SendMessageAsync(fixture.QueueUrl, JsonSerializer.Serialize(new ProcessingJob(id)), TestContext.Current.CancellationToken);
        await fixture.Sqs.SendMessageAsync(fixture.QueueUrl, JsonSerializer.Serialize(new ProcessingJob(id)), TestContext.Current.CancellationToken);
        await fixture.WaitUntilEmptyAsync(fixture.QueueUrl);

        Assert.Equal(first, await fixture.Catalog.FindAsync(id, CancellationToken.None));
        Assert.Equal(thumbBefore, await fixture.Client.GetByteArrayAsync($"/v3.0/media/{id}/variants/thumb", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task AJobWhoseProcessorDiedIsRedeliveredAndFinished()
    {
        // A queue nobody consumes yet, so this test can play the processor that dies holding the job.
        var (queueUrl, queueName) = await fixture.CreateQueueAsync("died");
        var id = await fixture.StoreUploadedItemAsync(TestImages.Jpeg(1000, 800));
        await TakeTheJobAndDieAsync(queueUrl, id);

        await using var pipeline = fixture.StartPipeline(queueName);
        var finished = await fixture.WaitForFinalAsync(id);

        Assert.Equal(MediaStatus.Ready, finished.Status);
        Assert.NotNull(finished.Thumb);
        await fixture.WaitUntilEmptyAsync(queueUrl);
    }

    [Fact]
    public async Task DeletingAnItemWhileItIsProcessedLeavesNothingBehind()
    {
        var (queueUrl, queueName) = await fixture.CreateQueueAsync("deleted");
        var id = await fixture.StoreUploadedItemAsync(TestImages.Jpeg(1000, 800));
        await TakeTheJobAndDieAsync(queueUrl, id);
        await fixture.S3.PutObjectAsync(new Amazon.S3.Model.PutObjectRequest { BucketName = fixture.BucketName, Key = MediaObjectKeys.Variant(id, "thumb"), ContentBody = "written by the processor" }, TestContext.Current.CancellationToken);

        // The owner deletes while the job is in flight; the variant the processor wrote afterwards is the race.
        using (var deleted = await fixture.Client.DeleteAsync($"/v3.0/media/{id}", TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        await fixture.S3.PutObjectAsync(new Amazon.S3.Model.PutObjectRequest { BucketName = fixture.BucketName, Key = MediaObjectKeys.Variant(id, "preview"), ContentBody = "late" }, TestContext.Current.CancellationToken);
        await using var pipeline = fixture.StartPipeline(queueName);
        await fixture.WaitUntilEmptyAsync(queueUrl);

        Assert.Null(await fixture.Catalog.FindAsync(id, CancellationToken.None));
        Assert.DoesNotContain(await fixture.BucketContentsAsync(), k => k.Contains(id.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheReconcilerSendsLostJobsAndGivesUpItemsWhoseProcessorsAllDied()
    {
        var lost = await fixture.StoreUploadedItemAsync(TestImages.Jpeg(640, 480), updatedAt: DateTimeOffset.UtcNow.AddHours(-1));
        var abandoned = await fixture.StoreUploadedItemAsync(TestImages.Jpeg(640, 480), updatedAt: DateTimeOffset.UtcNow.AddHours(-1));
        var item = await fixture.Catalog.FindAsync(abandoned, CancellationToken.None);
        await fixture.Catalog.TryUpdateStatusAsync(abandoned, item!.Version, MediaStatus.Processing, null, DateTimeOffset.UtcNow.AddHours(-1), CancellationToken.None);
        var reconciler = fixture.ProcessorServices.GetServices<IHostedService>().OfType<ProcessingReconciler>().Single();

        await reconciler.ReconcileAsync(TestContext.Current.CancellationToken);

        Assert.Equal(MediaStatus.Ready, (await fixture.WaitForFinalAsync(lost)).Status);
        var givenUp = await fixture.WaitForFinalAsync(abandoned);
        Assert.Equal(MediaStatus.Failed, givenUp.Status);
        Assert.Contains("did not finish", givenUp.StatusReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutFfmpegAVideoFailsWithThatReasonAndHealthSaysSo()
    {
        var (_, queueName) = await fixture.CreateQueueAsync("noffmpeg");
        await using var pipeline = fixture.StartPipeline(queueName,
            ("Processing:FfmpegPath", "/nonexistent/ffmpeg"), ("Processing:FfprobePath", "/nonexistent/ffprobe"));

        var id = await ProcessingFixture.UploadAsync(pipeline.ApiClient, TestVideos.Mp4Header(), "clip.mp4");
        var item = await fixture.WaitForFinalAsync(id);
        using var health = await pipeline.ProcessorClient.GetAsync("/health", TestContext.Current.CancellationToken);

        Assert.Equal(MediaStatus.Failed, item.Status);
        Assert.Contains("ffprobe is not installed", item.StatusReason, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("Degraded", await health.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task AVideoGetsAPosterItsDurationAndSize()
    {
        var video = await TestVideos.TryMakeMp4Async(640, 360, seconds: 2);
        if (video is null)
        {
            Assert.Skip("ffmpeg is not installed here (Debian: apt-get install ffmpeg; .ci/run installs it).");
        }

        var id = await ProcessingFixture.UploadAsync(fixture.Client, video, "clip.mp4");
        var item = await fixture.WaitForFinalAsync(id);

        Assert.Equal(MediaStatus.Ready, item.Status);
        Assert.Equal((640, 360), (item.Width, item.Height));
        Assert.InRange(item.DurationSeconds!.Value, 1.9, 2.1);
        Assert.Equal((320, 180), (item.Thumb!.Width, item.Thumb.Height));
        Assert.Null(item.Preview);
        using var poster = TestImages.Decode(await fixture.Client.GetByteArrayAsync($"/v3.0/media/{id}/variants/thumb", TestContext.Current.CancellationToken));
        Assert.Equal(320, poster.Width);
    }

    [Fact]
    public async Task AVideoIsProcessedThroughALoaderAndLibraryFolderAsTheDeployedImageRunsIt()
    {
        // The deployed image runs its ffmpeg bundle as lib/ld-linux-x86-64.so.2 --library-path lib bin/ffmpeg; Debian's
        // own loader and library folder are such a pair.
        const string libraries = "/lib/x86_64-linux-gnu";
        var video = await TestVideos.TryMakeMp4Async(320, 240, seconds: 1);
        if (video is null || !File.Exists(Path.Combine(libraries, Videos.FfmpegTools.Loader)))
        {
            Assert.Skip("Needs Debian's ffmpeg on x64 (Debian: apt-get install ffmpeg; .ci/run installs it).");
        }

        var (_, queueName) = await fixture.CreateQueueAsync("loader");
        await using var pipeline = fixture.StartPipeline(queueName,
            ("Processing:FfmpegPath", "/usr/bin/ffmpeg"), ("Processing:FfprobePath", "/usr/bin/ffprobe"), ("Processing:FfmpegLibraryPath", libraries));

        var id = await ProcessingFixture.UploadAsync(pipeline.ApiClient, video, "clip.mp4");
        var item = await fixture.WaitForFinalAsync(id);

        Assert.Equal(MediaStatus.Ready, item.Status);
        Assert.Equal((320, 240), (item.Width, item.Height));
        Assert.Equal(320, item.Thumb!.Width);
    }

    [Fact]
    public async Task ABundleWithoutItsLoaderFailsVideosWithAPlainReason()
    {
        var (_, queueName) = await fixture.CreateQueueAsync("noloader");
        await using var pipeline = fixture.StartPipeline(queueName,
            ("Processing:FfmpegPath", "/usr/bin/ffmpeg"), ("Processing:FfprobePath", "/usr/bin/ffprobe"), ("Processing:FfmpegLibraryPath", "/nonexistent/lib"));

        var id = await ProcessingFixture.UploadAsync(pipeline.ApiClient, TestVideos.Mp4Header(), "clip.mp4");
        var item = await fixture.WaitForFinalAsync(id);

        Assert.Equal(MediaStatus.Failed, item.Status);
        Assert.Equal("Videos cannot be processed here: ffprobe is not installed on the processing host.", item.StatusReason);
    }

    [Fact]
    public async Task ProcessingRecordsDurationOutcomeAndBytesStoredInItsMetrics()
    {
        // The original is stored by the API, the variants by the processor: each counts what it writes.
        var meters = new object[]
        {
            fixture.Pipeline.Api.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(),
            fixture.ProcessorServices.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(),
        };
        var recorded = new System.Collections.Concurrent.ConcurrentBag<(string Instrument, double Value, Dictionary<string, object?> Tags)>();
        using var listener = new System.Diagnostics.Metrics.MeterListener
        {
            // Only these service instances' meters: other tests' instances use the same meter names.
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name is ProcessingMetrics.MeterName or StorageMetrics.MeterName && meters.Contains(instrument.Meter.Scope))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => recorded.Add((i.Name, v, Tags(tags))));
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => recorded.Add((i.Name, v, Tags(tags))));
        listener.Start();

        var jpeg = TestImages.Jpeg(800, 600);
        var id = await ProcessingFixture.UploadAsync(fixture.Client, jpeg, "measured.jpg");
        var item = await fixture.WaitForFinalAsync(id);
        await Task.Delay(200, TestContext.Current.CancellationToken);

        Assert.Contains(recorded, m => m.Instrument == "desirable.processing.jobs" && (string?)m.Tags["desirable.processing.outcome"] == "succeeded" && (string?)m.Tags["desirable.media.kind"] == "image");
        Assert.Contains(recorded, m => m.Instrument == "desirable.processing.duration" && m.Value > 0);
        Assert.Contains(recorded, m => m.Instrument == "desirable.storage.bytes_stored" && (string?)m.Tags["desirable.storage.object"] == "original" && m.Value == jpeg.Length);
        Assert.Contains(recorded, m => m.Instrument == "desirable.storage.bytes_stored" && (string?)m.Tags["desirable.storage.object"] == "variant" && m.Value == item.Thumb!.Size);
    }

    private static Dictionary<string, object?> Tags(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var result = new Dictionary<string, object?>();
        foreach (var tag in tags)
        {
            result[tag.Key] = tag.Value;
        }

        return result;
    }

    [Fact]
    public async Task AQuickTimeThatReadsAsADashManifestOpensNothingAndFailsWithAPlainReason()
    {
        if (OperatingSystem.IsWindows() || await TestVideos.TryMakeMp4Async(64, 64, seconds: 1) is null)
        {
            Assert.Skip("ffmpeg is not installed here (Debian: apt-get install ffmpeg; .ci/run installs it), or no mkfifo.");
        }

        // "<!--free-->" has "free" at bytes 4-7, a QuickTime atom to the upload's sniffer; the rest is a DASH manifest
        // whose segment is a local file. Left to pick its demuxer from the bytes, ffprobe reads it as DASH, and DASH
        // opens file: URLs even under ffmpeg's default whitelist (for names with a media extension). The file is a named
        // pipe: opening it shows.
        var fifo = Path.Combine(Path.GetTempPath(), $"desirable-leak-{Guid.NewGuid():N}.mp4");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [fifo]))
        {
            await mkfifo.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

        try
        {
            var opened = Task.Run(() => new FileStream(fifo, FileMode.Open, FileAccess.Write).Dispose(), TestContext.Current.CancellationToken);
            var manifest = "<!--free--><MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\" type=\"static\" mediaPresentationDuration=\"PT2S\" " +
                "minBufferTime=\"PT1S\" profiles=\"urn:mpeg:dash:profile:isoff-on-demand:2011\"><Period><AdaptationSet mimeType=\"video/mp4\">" +
                $"<Representation id=\"1\" bandwidth=\"1000\" width=\"64\" height=\"64\"><BaseURL>file:{fifo}</BaseURL>" +
                "</Representation></AdaptationSet></Period></MPD>";

            var id = await ProcessingFixture.UploadAsync(fixture.Client, System.Text.Encoding.ASCII.GetBytes(manifest), "clip.mov");
            var item = await fixture.WaitForFinalAsync(id);
            var leaked = opened.IsCompleted;
            if (!leaked)
            {
                // Let the waiting writer go: with a writer waiting, opening the pipe to read returns at once.
                var release = Task.Run(() => new FileStream(fifo, FileMode.Open, FileAccess.Read).Dispose(), TestContext.Current.CancellationToken);
                await Task.WhenAny(Task.WhenAll(release, opened), Task.Delay(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken));
            }

            Assert.False(leaked, "ffprobe opened the file the manifest names");
            Assert.Equal(MediaStatus.Failed, item.Status);
            Assert.Equal("The video cannot be read: it is damaged, or not the kind of video its first bytes claim.", item.StatusReason);
        }
        finally
        {
            File.Delete(fifo);
        }
    }

    [Fact]
    public async Task AVideoOverTheDurationLimitIsRefused()
    {
        var video = await TestVideos.TryMakeMp4Async(320, 240, seconds: 3);
        if (video is null)
        {
            Assert.Skip("ffmpeg is not installed here (Debian: apt-get install ffmpeg; .ci/run installs it).");
        }

        var (_, queueName) = await fixture.CreateQueueAsync("long");
        await using var pipeline = fixture.StartPipeline(queueName, ("Processing:MaxVideoDuration", "00:00:02"));

        var id = await ProcessingFixture.UploadAsync(pipeline.ApiClient, video, "long.mp4");
        var item = await fixture.WaitForFinalAsync(id);

        Assert.Equal(MediaStatus.Failed, item.Status);
        Assert.Equal("The video is 00:00:03 long; at most 00:00:02 is processed.", item.StatusReason);
    }

    [Fact]
    public async Task AHangingToolIsKilledAtTheJobTimeLimitAndTheItemFails()
    {

        // A stand-in for an ffprobe that never answers (the edge this test cannot get a real tool to do on demand).
        var hanging = Path.Combine(Path.GetTempPath(), $"hanging-ffprobe-{Guid.NewGuid():N}.sh");
        await File.WriteAllTextAsync(hanging, "#!/bin/sh\nexec sleep 60\n", TestContext.Current.CancellationToken);
        if (OperatingSystem.IsWindows())
        {
            Assert.Skip("The hanging stand-in tool is a shell script.");
        }
        else
        {
            File.SetUnixFileMode(hanging, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.UserWrite);
        }
        try
        {
            var (_, queueName) = await fixture.CreateQueueAsync("hang");
            await using var pipeline = fixture.StartPipeline(queueName, ("Processing:FfprobePath", hanging), ("Processing:JobTimeLimit", "00:00:02"));

            var id = await ProcessingFixture.UploadAsync(pipeline.ApiClient, TestVideos.Mp4Header(), "stuck.mp4");
            var item = await fixture.WaitForFinalAsync(id);

            Assert.Equal(MediaStatus.Failed, item.Status);
            Assert.Equal("Processing took longer than the limit of 2 s.", item.StatusReason);
        }
        finally
        {
            File.Delete(hanging);
        }
    }

    /// <summary>
    /// Plays a processor that receives the job, marks the item Processing and dies: no delete, no further change.
    /// The job reappears after its visibility timeout (3 s).
    /// </summary>
    private async Task TakeTheJobAndDieAsync(string queueUrl, Guid id)
    {
        await fixture.Sqs.SendMessageAsync(queueUrl, JsonSerializer.Serialize(new ProcessingJob(id)), TestContext.Current.CancellationToken);
        var taken = await fixture.Sqs.ReceiveMessageAsync(
            new ReceiveMessageRequest { QueueUrl = queueUrl, WaitTimeSeconds = 5, VisibilityTimeout = 3 }, TestContext.Current.CancellationToken);
        Assert.Single(taken.Messages);
        var item = await fixture.Catalog.FindAsync(id, CancellationToken.None);
        await fixture.Catalog.TryUpdateStatusAsync(id, item!.Version, MediaStatus.Processing, null, DateTimeOffset.UtcNow, CancellationToken.None);
    }
}
