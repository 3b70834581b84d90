using System.Buffers;
using Desirable.Media;
using Desirable.Media.Catalog;
using Desirable.Media.Jobs;
using Desirable.Media.Model;
using Desirable.Media.Storage;
using Desirable.MediaService.Transfers;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Desirable.MediaService.Uploads;

/// <summary>
/// Streams one multipart upload into the bucket and records it in the catalog.
/// </summary>
/// <remarks>
/// Order, and why: the bytes go to S3 first and become visible only once the whole request has been read and
/// found valid (a second file part, an oversized body or a dropped connection abort the S3 upload). Then the
/// catalog entry is written. If that write fails, the object is deleted again. So a catalog entry never points
/// at missing bytes, and bytes without an entry exist only between the two writes. When S3 stops answering during
/// the commit, the object may or may not have landed: it is recorded as Deleting, so that the processor's reconciler
/// deletes whatever landed once S3 answers again. (Deleting it at once would hold the client for another round of
/// timeouts while S3 is away; the tombstone costs one catalog write and hides nothing the owner could see.)
/// </remarks>
public sealed class MediaUploader(
    MediaStorage storage,
    IMediaCatalog catalog,
    ProcessingJobs jobs,
    UploadAdmission admission,
    StorageMetrics metrics,
    UploadMetrics uploadMetrics,
    IOptions<UploadOptions> options,
    TimeProvider time,
    ILogger<MediaUploader> logger)
{
    private const int ReadChunkSize = 81920;

    public async Task<MediaItem> UploadAsync(HttpRequest request, string owner, CancellationToken cancellationToken)
    {
        var limits = options.Value;
        AllowRequestBody(request.HttpContext, limits.MaxRequestBodyBytes);

        if (request.ContentLength > limits.MaxRequestBodyBytes)
        {
            throw TooLarge(limits);
        }

        var boundary = GetBoundary(request);

        // Nothing is read or buffered before the upload has its place; the rate is watched from then on.
        using var slot = admission.Enter(owner);
        using var rate = new DataRateGuard(limits, cancellationToken);
        var reader = new MultipartReader(boundary, rate.Watch(request.Body));
        cancellationToken = rate.Token;

        var id = Guid.CreateVersion7(time.GetUtcNow());
        StreamedFile? file = null;
        try
        {
            MultipartSection? section;
            while ((section = await ReadSectionAsync(reader, cancellationToken)) is not null)
            {
                var disposition = section.GetContentDispositionHeader();
                if (disposition is null || !disposition.IsFileDisposition())
                {
                    // Plain form fields carry nothing we use; their bodies are drained by the reader.
                    continue;
                }

                if (file is not null)
                {
                    throw new UploadRejectedException(StatusCodes.Status400BadRequest, "More than one file",
                        "An upload carries exactly one file part; this request has several.");
                }

                var displayName = DisplayName.Sanitize(disposition.FileNameStar.Value ?? disposition.FileName.Value);
                file = await StreamFileAsync(section.Body, id, displayName, limits, request.ContentLength, cancellationToken);
            }

            if (file is null)
            {
                throw new UploadRejectedException(StatusCodes.Status400BadRequest, "No file",
                    "The multipart body has no file part. Send the file as a form-data part with a filename.");
            }

            // The response shows the times exactly as every later read of the catalog will.
            var now = CatalogTime.Truncate(time.GetUtcNow());
            var item = new MediaItem
            {
                Id = id,
                Owner = owner,
                DisplayName = file.DisplayName,
                ContentType = file.Type.ContentType,
                Kind = file.Type.Kind,
                Size = file.Upload.Length,
                Sha256 = file.Sha256,
                Status = MediaStatus.Uploaded,
                CreatedAt = now,
                UpdatedAt = now,
            };

            // The whole body is in: from here on, a client that goes away must not cut the commit and the catalog
            // write apart (a completed S3 upload without an entry would be an orphan).
            await CommitOrForgetAsync(file.Upload, item);
            await AddToCatalogOrRemoveObjectAsync(item, file.Upload.Key);
            metrics.BytesStored("original", item.Size);
            await EnqueueProcessingAsync(item.Id);
            return item;
        }
        catch (OperationCanceledException) when (rate.TooSlow)
        {
            uploadMetrics.Refused("too_slow");
            throw new UploadRejectedException(StatusCodes.Status408RequestTimeout, "Upload too slow",
                $"The upload was stopped because it sent less than {limits.MinimumBytesPerSecond} bytes per second for " +
                $"{limits.DataRateWindow.TotalSeconds:0.#} s. Nothing was stored; send the file again on a better connection.");
        }
        catch (Exception e) when (AwsOutage.Is(e))
        {
            logger.LogWarning(e, "Upload {MediaId} stopped: storage is not answering.", id);
            uploadMetrics.Refused("storage_unavailable");
            throw new UploadRejectedException(StatusCodes.Status503ServiceUnavailable, "Storage unavailable",
                "The file could not be stored because storage is not answering, so nothing was kept. Send it again in a few seconds.",
                retryAfterSeconds: Apis.AwsOutageHandler.RetryAfterSeconds);
        }
        finally
        {
            if (file is not null)
            {
                await file.Upload.DisposeAsync();
            }
        }
    }

    /// <summary>A file part read to its end: its bytes wait in <see cref="Upload"/> for the commit.</summary>
    private sealed record StreamedFile(string DisplayName, ObjectUpload Upload, SniffedType Type, string Sha256);

    private async Task<StreamedFile> StreamFileAsync(
        Stream body, Guid id, string displayName, UploadOptions limits, long? expectedLength, CancellationToken cancellationToken)
    {
        var chunk = ArrayPool<byte>.Shared.Rent(ReadChunkSize);
        ObjectUpload? upload = null;
        try
        {
            // The type decides whether the upload may start at all, so read the header before anything is sent.
            var headerLength = await ReadAtLeastAsync(body, chunk.AsMemory(0, ReadChunkSize), ContentSniffer.HeaderLength, cancellationToken);
            if (headerLength == 0)
            {
                throw new UploadRejectedException(StatusCodes.Status400BadRequest, "Empty file", "The uploaded file has no content.");
            }

            var type = ContentSniffer.Sniff(chunk.AsSpan(0, headerLength));
            if (type is null || !limits.IsAllowed(type.ContentType))
            {
                throw new UploadRejectedException(StatusCodes.Status415UnsupportedMediaType, "Unsupported file type",
                    "The file's content is not one of the accepted image or video formats: " +
                    "JPEG, PNG, WebP, GIF, MP4, WebM or QuickTime. The file name and declared type are not considered.");
            }

            // The request's length bounds the file's: a small upload takes a small buffer, not a whole part.
            upload = storage.BeginUpload(MediaObjectKeys.Original(id), type.ContentType, expectedLength);
            var read = headerLength;
            while (read > 0)
            {
                if (upload.Length + read > limits.MaxFileSizeBytes)
                {
                    throw TooLarge(limits);
                }

                await upload.WriteAsync(chunk.AsMemory(0, read), cancellationToken);
                read = await ReadBodyAsync(body, chunk.AsMemory(0, ReadChunkSize), cancellationToken);
            }

            var file = new StreamedFile(displayName, upload, type, Convert.ToHexStringLower(upload.Seal()));
            upload = null;
            return file;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
            if (upload is not null)
            {
                await upload.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// The item is stored and listed as Uploaded whatever happens here: a job that cannot be sent now is sent again
    /// by the processor's reconciler, so the upload does not fail for it.
    /// </summary>
    private async Task EnqueueProcessingAsync(Guid id)
    {
        try
        {
            await jobs.EnqueueAsync(id, CancellationToken.None);
        }
        catch (Exception e) when (e is Amazon.Runtime.AmazonServiceException || AwsOutage.Is(e))
        {
            logger.LogWarning(e, "The processing job of {MediaId} was not sent; the reconciler will send it.", id);
        }
    }

    /// <summary>Commits the object; if storage stops answering meanwhile, makes sure nothing of it stays (see remarks).</summary>
    private async Task CommitOrForgetAsync(ObjectUpload upload, MediaItem item)
    {
        try
        {
            await upload.CommitAsync(CancellationToken.None);
        }
        catch (Exception e) when (AwsOutage.Is(e))
        {
            await RecordForDeletionAsync(item, e);
            throw;
        }
    }

    /// <summary>Hands an object that may exist to the reconciler's unfinished deletes: an entry marked Deleting, hidden from every read.</summary>
    private async Task RecordForDeletionAsync(MediaItem item, Exception cause)
    {
        try
        {
            await catalog.AddAsync(item with { Status = MediaStatus.Deleting }, CancellationToken.None);
            logger.LogWarning(cause, "Storage stopped answering while {MediaId} was committed; it is recorded as Deleting so that whatever landed is removed.", item.Id);
        }
        catch (Exception e)
        {
            logger.LogCritical(e, "Storage stopped answering while {MediaId} was committed and the catalog could not record it; object {Key} may be orphaned.",
                item.Id, MediaObjectKeys.Original(item.Id));
        }
    }

    private async Task AddToCatalogOrRemoveObjectAsync(MediaItem item, string key)
    {
        try
        {
            await catalog.AddAsync(item, CancellationToken.None);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Catalog write for {MediaId} failed; removing its object.", item.Id);
            try
            {
                await storage.DeleteAsync(key, CancellationToken.None);
            }
            catch (Exception cleanup)
            {
                logger.LogCritical(cleanup, "Could not remove object {Key} after the catalog write failed; it is orphaned.", key);
                throw;
            }

            // The catalog is busy or away (locked, failing over, unreachable): the bytes are gone again, so the client
            // may simply send the file again, and is told so rather than shown a server error.
            throw new UploadRejectedException(StatusCodes.Status503ServiceUnavailable, "Catalog unavailable",
                "The upload could not be recorded, so nothing was stored. Send the file again in a few seconds.", retryAfterSeconds: 5);
        }
    }

    private static async Task<MultipartSection?> ReadSectionAsync(MultipartReader reader, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.ReadNextSectionAsync(cancellationToken);
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            throw Rejection(e);
        }
    }

    private static async Task<int> ReadBodyAsync(Stream body, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        try
        {
            return await body.ReadAsync(buffer, cancellationToken);
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            throw Rejection(e);
        }
    }

    private static async Task<int> ReadAtLeastAsync(Stream body, Memory<byte> buffer, int minimum, CancellationToken cancellationToken)
    {
        var total = 0;
        while (total < minimum)
        {
            var read = await ReadBodyAsync(body, buffer[total..], cancellationToken);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }

    private static string GetBoundary(HttpRequest request)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType) ||
            !contentType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            throw new UploadRejectedException(StatusCodes.Status415UnsupportedMediaType, "Not a multipart upload",
                "Send the file as multipart/form-data.");
        }

        var boundary = HeaderUtilities.RemoveQuotes(contentType.Boundary).Value;
        if (string.IsNullOrWhiteSpace(boundary) || boundary.Length > 70)
        {
            throw new UploadRejectedException(StatusCodes.Status400BadRequest, "Bad multipart boundary",
                "The multipart/form-data content type needs a boundary of at most 70 characters.");
        }

        return boundary;
    }

    private static void AllowRequestBody(HttpContext context, long maxBytes)
    {
        // Kestrel's default of 30 MB applies to every request; uploads get the configured limit instead.
        var feature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (feature is { IsReadOnly: false })
        {
            feature.MaxRequestBodySize = maxBytes;
        }
    }

    private static UploadRejectedException TooLarge(UploadOptions limits) =>
        new(StatusCodes.Status413PayloadTooLarge, "File too large",
            $"Files may be at most {limits.MaxFileSizeBytes} bytes.");

    // Kestrel reports a body over its limit as a BadHttpRequestException (413); a truncated or garbled
    // multipart body surfaces as IOException or InvalidDataException from the reader.
    private static UploadRejectedException Rejection(Exception e) => e switch
    {
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
            new(StatusCodes.Status413PayloadTooLarge, "File too large", e.Message),
        _ => new(StatusCodes.Status400BadRequest, "Malformed multipart body", e.Message),
    };
}
