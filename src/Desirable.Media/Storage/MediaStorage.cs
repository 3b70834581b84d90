using System.Buffers;
using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Options;

namespace Desirable.Media.Storage;

/// <summary>The media bucket: streamed writes that are all-or-nothing, ranged reads, deletes by item.</summary>
public sealed class MediaStorage(IAmazonS3 s3, IOptions<StorageOptions> options, ILogger<MediaStorage> logger)
{
    // Part buffers are megabytes each. The shared pool keeps returned arrays per thread, and async uploads return
    // them on other threads than they were rented on, so it would keep allocating new ones; a pool of its own
    // hands every buffer back to the next upload and caps what it retains.
    private readonly ArrayPool<byte> _partBuffers = ArrayPool<byte>.Create(options.Value.PartSizeBytes, maxArraysPerBucket: 16);

    private string Bucket => options.Value.BucketName;

    /// <summary>
    /// Starts writing an object. Nothing becomes visible in the bucket until <see cref="ObjectUpload.CommitAsync"/>;
    /// disposing an upload that was not committed removes every byte it sent.
    /// </summary>
    /// <param name="key">Where the object goes.</param>
    /// <param name="contentType">Its type.</param>
    /// <param name="expectedLength">At most how long it will be, when known: small objects then take small buffers.</param>
    public ObjectUpload BeginUpload(string key, string contentType, long? expectedLength = null) =>
        new(s3, Bucket, key, contentType, options.Value.PartSizeBytes, _partBuffers, logger, expectedLength, options.Value.SinglePutMaxBytes);

    /// <summary>Opens the object, or the inclusive byte range <paramref name="from"/>..<paramref name="to"/> of it.</summary>
    public async Task<Stream?> OpenReadAsync(string key, long? from, long? to, CancellationToken cancellationToken)
    {
        var request = new GetObjectRequest { BucketName = Bucket, Key = key };
        if (from is { } start && to is { } end)
        {
            request.ByteRange = new ByteRange(start, end);
        }

        try
        {
            var response = await s3.GetObjectAsync(request, cancellationToken);
            return response.ResponseStream;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound && e.ErrorCode != "NoSuchBucket")
        {
            // The object is not there. A missing bucket is not a missing object: it is storage that is not (yet) set
            // up, which a job waits out and a read reports as an error.
            return null;
        }
    }

    /// <summary>Writes a small object in one request (variants: at most a few hundred kilobytes).</summary>
    public async Task PutAsync(string key, string contentType, byte[] bytes, CancellationToken cancellationToken)
    {
        using var content = new MemoryStream(bytes, writable: false);
        await s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = Bucket,
            Key = key,
            ContentType = contentType,
            InputStream = content,
            AutoCloseStream = false,
        }, cancellationToken);
    }

    /// <summary>Copies an object into a local file (processing works on files: codecs and ffmpeg seek).</summary>
    public async Task<bool> DownloadAsync(string key, string path, CancellationToken cancellationToken)
    {
        await using var content = await OpenReadAsync(key, null, null, cancellationToken);
        if (content is null)
        {
            return false;
        }

        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true);
        await content.CopyToAsync(file, cancellationToken);
        return true;
    }

    /// <summary>Deletes every object under <paramref name="prefix"/> (an item's original and its variants).</summary>
    public async Task DeletePrefixAsync(string prefix, CancellationToken cancellationToken)
    {
        var listing = new ListObjectsV2Request { BucketName = Bucket, Prefix = prefix };
        ListObjectsV2Response page;
        do
        {
            page = await s3.ListObjectsV2Async(listing, cancellationToken);
            foreach (var s3Object in page.S3Objects ?? [])
            {
                await s3.DeleteObjectAsync(Bucket, s3Object.Key, cancellationToken);
            }

            listing.ContinuationToken = page.NextContinuationToken;
        }
        while (page.IsTruncated == true);
    }

    /// <summary>Deletes one object; a missing object is not an error (S3 deletes are idempotent).</summary>
    public Task DeleteAsync(string key, CancellationToken cancellationToken) =>
        s3.DeleteObjectAsync(Bucket, key, cancellationToken);

    /// <summary>True when the bucket exists and answers; used by the health check.</summary>
    public async Task<bool> IsReachableAsync(CancellationToken cancellationToken)
    {
        try
        {
            await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, MaxKeys = 1 }, cancellationToken);
            return true;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }
}
