using Amazon.S3;
using Amazon.S3.Model;

namespace Desirable.MediaService.Tests.Infrastructure;

/// <summary>What a bucket holds, including upload leftovers that are invisible to a plain listing.</summary>
public static class BucketContents
{
    /// <remarks>
    /// Open multipart uploads hold bytes without being objects. S3 lists them with ListMultipartUploads, but
    /// fauxqs answers that call with an empty list, so its on-disk <c>_multipart</c> folder is read as well.
    /// </remarks>
    public static async Task<IReadOnlyList<string>> ListAsync(IAmazonS3 s3, string bucketName, string? fauxqsS3Directory)
    {
        var objects = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucketName });
        var uploads = await s3.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = bucketName });
        var onDisk = fauxqsS3Directory is not null && Directory.Exists(Path.Combine(fauxqsS3Directory, "_multipart"))
            ? Directory.EnumerateDirectories(Path.Combine(fauxqsS3Directory, "_multipart")).Select(d => $"open multipart upload {Path.GetFileName(d)}")
            : [];
        return
        [
            .. (objects.S3Objects ?? []).Select(o => o.Key).Order(StringComparer.Ordinal),
            .. (uploads.MultipartUploads ?? []).Select(u => $"open multipart upload of {u.Key}"),
            .. onDisk,
        ];
    }
}
