using Desirable.Media.Model;
using Desirable.Media.Storage;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Net.Http.Headers;

namespace Desirable.MediaService.Apis;

/// <summary>What is served for an original or a variant: its type, length, hash and a download name.</summary>
public sealed record StoredContent(string Key, string ContentType, long Size, string Sha256, string FileName)
{
    public static StoredContent Original(MediaItem item) =>
        new(MediaObjectKeys.Original(item.Id), item.ContentType, item.Size, item.Sha256, item.DisplayName);

    public static StoredContent Variant(MediaItem item, string name, MediaVariant variant) =>
        new(MediaObjectKeys.Variant(item.Id, name), variant.ContentType, variant.Size, variant.Sha256,
            $"{Path.GetFileNameWithoutExtension(item.DisplayName)}.{name}{VariantExtension(variant.ContentType)}");

    private static string VariantExtension(string contentType) => contentType switch
    {
        "image/webp" => ".webp",
        "image/jpeg" => ".jpg",
        _ => "",
    };
}

/// <summary>
/// Streams stored bytes straight from S3 to the response, whole or as one range, never buffered.
/// The type comes from the catalog (sniffed at upload, or set by processing), and nosniff keeps browsers from
/// second-guessing it.
/// </summary>
public sealed class MediaContentResult(StoredContent item, Stream content, ByteRangeRequest? range)
    : IResult, IStatusCodeHttpResult, IContentTypeHttpResult, IEndpointMetadataProvider
{
    /// <summary>Private: the bytes belong to one user. Immutable: stored bytes never change under their key.</summary>
    public const string CacheControl = "private, max-age=31536000, immutable";

    public static EntityTagHeaderValue ETagOf(StoredContent item) => new($"\"{item.Sha256}\"");

    public int? StatusCode => range is null ? StatusCodes.Status200OK : StatusCodes.Status206PartialContent;

    public string ContentType => item.ContentType;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCode!.Value;
        response.ContentType = item.ContentType;
        response.Headers.AcceptRanges = "bytes";
        response.Headers.ETag = ETagOf(item).ToString();
        response.Headers.CacheControl = CacheControl;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.ContentDisposition = new ContentDispositionHeaderValue("inline")
        {
            FileNameStar = item.FileName,
        }.ToString();

        if (range is { } r)
        {
            response.ContentLength = r.Length;
            response.Headers.ContentRange = new ContentRangeHeaderValue(r.From, r.To, item.Size).ToString();
        }
        else
        {
            response.ContentLength = item.Size;
        }

        await using (content)
        {
            if (HttpMethods.IsHead(httpContext.Request.Method))
            {
                return;
            }

            await CopyAsync(httpContext);
        }
    }

    /// <summary>
    /// Copies the stored bytes to the client at the same minimum rate uploads must keep (Uploads:MinimumBytesPerSecond
    /// over Uploads:DataRateWindow). Kestrel's own minimum response rate grants each buffered write its own allowance,
    /// so a client that stops reading would hold its connection and its storage stream for minutes; this one ends it
    /// after one window. A paused video player does stop reading: it asks again with a Range when it resumes.
    /// </summary>
    private async Task CopyAsync(HttpContext httpContext)
    {
        var limits = httpContext.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<Uploads.UploadOptions>>().Value;
        using var rate = new Transfers.DataRateGuard(limits, httpContext.RequestAborted);
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            int read;
            while ((read = await content.ReadAsync(buffer, rate.Token)) > 0)
            {
                await httpContext.Response.Body.WriteAsync(buffer.AsMemory(0, read), rate.Token);
                rate.Transferred(read);
            }
        }
        catch (OperationCanceledException) when (rate.TooSlow)
        {
            httpContext.RequestServices.GetRequiredService<ILogger<MediaContentResult>>()
                .LogInformation("A download of {Key} was ended: the client read below the minimum rate.", item.Key);
            httpContext.Abort();
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public static void PopulateMetadata(System.Reflection.MethodInfo method, EndpointBuilder builder)
    {
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(Stream), ["application/octet-stream"]));
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status206PartialContent, typeof(Stream), ["application/octet-stream"]));
    }
}
