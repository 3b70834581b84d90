using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Logging;

namespace Desirable.Hosting.Aws;

/// <summary>A multipart upload that was started and neither completed nor aborted.</summary>
public sealed record PendingUpload(string Bucket, string Key, string UploadId, DateTimeOffset Initiated);

/// <summary>
/// What S3 does with the bucket's rule "abort incomplete multipart uploads after N days", done for the emulators,
/// which keep the rule but never apply it: an upload cut off by a crash would otherwise keep its parts (up to the
/// upload limit each) in the emulator's volume or data folder forever.
/// </summary>
public static class AbandonedUploads
{
    /// <summary>The shortest enabled abort rule of the template's buckets, or null when none has one.</summary>
    public static TimeSpan? AbortAfter(string template)
    {
        var days = JsonNode.Parse(template)?["Resources"]?.AsObject()
            .Select(r => r.Value)
            .Where(r => (string?)r?["Type"] == "AWS::S3::Bucket")
            .SelectMany(r => r?["Properties"]?["LifecycleConfiguration"]?["Rules"]?.AsArray() ?? [])
            .Where(rule => (string?)rule?["Status"] == "Enabled")
            .Select(rule => rule?["AbortIncompleteMultipartUpload"]?["DaysAfterInitiation"]?.GetValue<int>())
            .Where(d => d is not null)
            .Min();
        return days is { } d ? TimeSpan.FromDays(d) : null;
    }

    /// <summary>The bucket's pending uploads as S3's ListMultipartUploads reports them (Floci, LocalStack).</summary>
    public static async Task<IReadOnlyList<PendingUpload>> ListAsync(IAmazonS3 s3, string bucket, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(s3);
        var uploads = new List<PendingUpload>();
        var request = new ListMultipartUploadsRequest { BucketName = bucket };
        while (true)
        {
            var page = await s3.ListMultipartUploadsAsync(request, cancellationToken);
            uploads.AddRange((page.MultipartUploads ?? []).Select(u =>
                new PendingUpload(bucket, u.Key, u.UploadId, new DateTimeOffset(DateTime.SpecifyKind(u.Initiated ?? DateTime.MinValue, DateTimeKind.Utc)))));
            if (page.IsTruncated != true)
            {
                return uploads;
            }

            request.KeyMarker = page.NextKeyMarker;
            request.UploadIdMarker = page.NextUploadIdMarker;
        }
    }

    /// <summary>
    /// The pending uploads fauxqs keeps as folders (<c>_multipart/{uploadId}/.upload.json</c> under its S3 directory):
    /// its ListMultipartUploads answers with none, so the folders are the only list there is.
    /// </summary>
    public static IReadOnlyList<PendingUpload> ReadFauxqsDirectory(string s3Directory, string bucket)
    {
        var root = Path.Combine(s3Directory, "_multipart");
        if (!Directory.Exists(root))
        {
            return [];
        }

        var uploads = new List<PendingUpload>();
        foreach (var file in Directory.EnumerateFiles(root, ".upload.json", SearchOption.AllDirectories))
        {
            try
            {
                var upload = JsonNode.Parse(File.ReadAllText(file));
                if ((string?)upload?["bucket"] == bucket && (string?)upload["key"] is { } key && (string?)upload["uploadId"] is { } id &&
                    DateTimeOffset.TryParse((string?)upload["initiated"], System.Globalization.CultureInfo.InvariantCulture, out var initiated))
                {
                    uploads.Add(new PendingUpload(bucket, key, id, initiated));
                }
            }
            catch (Exception e) when (e is IOException or JsonException)
            {
                // Being written or removed right now: the next sweep sees it.
            }
        }

        return uploads;
    }

    /// <summary>Aborts the uploads started before <paramref name="cutoff"/>; returns how many it aborted.</summary>
    public static async Task<int> AbortStartedBeforeAsync(
        IAmazonS3 s3, IEnumerable<PendingUpload> uploads, DateTimeOffset cutoff, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(s3);
        ArgumentNullException.ThrowIfNull(uploads);
        var aborted = 0;
        foreach (var upload in uploads.Where(u => u.Initiated < cutoff).DistinctBy(u => u.UploadId))
        {
            try
            {
                await s3.AbortMultipartUploadAsync(upload.Bucket, upload.Key, upload.UploadId, cancellationToken);
                aborted++;
                logger.LogInformation("Aborted the upload of {Key}, started {Initiated:u} and never completed.", upload.Key, upload.Initiated);
            }
            catch (AmazonS3Exception e) when (e.ErrorCode == "NoSuchUpload")
            {
                // Completed or aborted meanwhile.
            }
        }

        return aborted;
    }
}
