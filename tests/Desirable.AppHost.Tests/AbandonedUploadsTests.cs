using Amazon.S3;
using Amazon.S3.Model;
using Desirable.Hosting.Aws;
using Microsoft.Extensions.Logging.Abstractions;

namespace Desirable.AppHost.Tests;

/// <summary>
/// The bucket's abort-incomplete-multipart rule, applied by the AppHost because emulators do not: against a real
/// fauxqs, which keeps pending uploads as folders and does not list them through the API.
/// </summary>
public sealed class AbandonedUploadsTests : IAsyncLifetime
{
    private const string Bucket = "desirable-abandoned-uploads";

    private FauxqsEmulator _emulator = null!;
    private AmazonS3Client _s3 = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _emulator = await FauxqsEmulator.StartInTemporaryFolderAsync(Ct);
        _s3 = EmulatorClients.S3(_emulator.ServiceUrl);
        await _s3.PutBucketAsync(Bucket, Ct);
    }

    [Fact]
    public void TheRuleComesFromTheMediaStacksTemplate()
    {
        var template = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "src", "Desirable.AppHost", "obj", "stacks", "local", "media.template.json"));

        Assert.Equal(TimeSpan.FromDays(1), AbandonedUploads.AbortAfter(template));
        Assert.Null(AbandonedUploads.AbortAfter("""{"Resources":{"Q":{"Type":"AWS::SQS::Queue","Properties":{}}}}"""));
    }

    [Fact]
    public async Task AnUploadOlderThanTheRuleIsAbortedWithItsPartsAndAFreshOneIsLeftAlone()
    {
        var old = await StartUploadWithAPartAsync("media/old.mp4");
        var pending = AbandonedUploads.ReadFauxqsDirectory(_emulator.S3StorageDirectory, Bucket);
        Assert.Equal([old], pending.Select(p => p.UploadId));

        // Not yet a day old: nothing happens.
        var early = await AbandonedUploads.AbortStartedBeforeAsync(_s3, pending, DateTimeOffset.UtcNow - TimeSpan.FromDays(1), NullLogger.Instance, Ct);
        // As the sweep sees it two days on.
        var late = await AbandonedUploads.AbortStartedBeforeAsync(_s3, pending, DateTimeOffset.UtcNow + TimeSpan.FromDays(1), NullLogger.Instance, Ct);

        Assert.Equal((0, 1), (early, late));
        Assert.Empty(AbandonedUploads.ReadFauxqsDirectory(_emulator.S3StorageDirectory, Bucket));
        Assert.False(Directory.Exists(Path.Combine(_emulator.S3StorageDirectory, "_multipart", old)), "The parts are still on disk.");
        await Assert.ThrowsAsync<AmazonS3Exception>(() => _s3.ListPartsAsync(new ListPartsRequest { BucketName = Bucket, Key = "media/old.mp4", UploadId = old }, Ct));
    }

    [Fact]
    public async Task AnUploadCompletedMeanwhileIsNotAnError()
    {
        var id = await StartUploadWithAPartAsync("media/done.mp4");
        var pending = AbandonedUploads.ReadFauxqsDirectory(_emulator.S3StorageDirectory, Bucket);
        await _s3.AbortMultipartUploadAsync(Bucket, "media/done.mp4", id, Ct);

        var aborted = await AbandonedUploads.AbortStartedBeforeAsync(_s3, pending, DateTimeOffset.UtcNow + TimeSpan.FromDays(1), NullLogger.Instance, Ct);

        Assert.Equal(0, aborted);
    }

    public async ValueTask DisposeAsync()
    {
        _s3.Dispose();
        await _emulator.DisposeAsync();
    }

    private async Task<string> StartUploadWithAPartAsync(string key)
    {
        var upload = await _s3.InitiateMultipartUploadAsync(Bucket, key, Ct);
        await _s3.UploadPartAsync(new UploadPartRequest
        {
            BucketName = Bucket,
            Key = key,
            UploadId = upload.UploadId,
            PartNumber = 1,
            InputStream = new MemoryStream(new byte[64 * 1024]),
        }, Ct);
        return upload.UploadId;
    }
}
