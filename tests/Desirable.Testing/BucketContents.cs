using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;

namespace Desirable.Testing;

/// <summary>What a bucket holds, including upload leftovers that are invisible to a plain listing.</summary>
public static class BucketContents
{
    /// <remarks>
    /// Open multipart uploads hold bytes without being objects. S3 lists them with ListMultipartUploads, but
    /// fauxqs answers that call with an empty list, so its on-disk <c>_multipart</c> folder is read as well. That
    /// folder holds every bucket's uploads; each one's <c>.upload.json</c> names its bucket.
    /// </remarks>
    public static async Task<IReadOnlyList<string>> ListAsync(IAmazonS3 s3, string bucketName, string? fauxqsS3Directory)
    {
        var objects = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucketName });
        var uploads = await s3.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = bucketName });
        var onDisk = fauxqsS3Directory is not null && Directory.Exists(Path.Combine(fauxqsS3Directory, "_multipart"))
            ? Directory.EnumerateDirectories(Path.Combine(fauxqsS3Directory, "_multipart"))
                .Where(upload => BucketOf(upload) == bucketName)
                .Select(upload => $"open multipart upload {Path.GetFileName(upload)}")
            : [];
        return
        [
            .. (objects.S3Objects ?? []).Select(o => o.Key).Order(StringComparer.Ordinal),
            .. (uploads.MultipartUploads ?? []).Select(u => $"open multipart upload of {u.Key}"),
            .. onDisk,
        ];
    }

    /// <summary>The bucket an on-disk upload belongs to; null while fauxqs has made its folder but not yet described it.</summary>
    private static string? BucketOf(string uploadDirectory)
    {
        try
        {
            using var meta = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(uploadDirectory, ".upload.json")));
            return meta.RootElement.GetProperty("bucket").GetString();
        }
        catch (Exception e) when (e is IOException or JsonException or KeyNotFoundException)
        {
            return null;
        }
    }
}
