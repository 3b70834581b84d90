using Desirable.MediaService.Model;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Net.Http.Headers;

namespace Desirable.MediaService.Apis;

/// <summary>
/// Streams an item's bytes straight from S3 to the response, whole or as one range, never buffered.
/// The type comes from the catalog (sniffed at upload), and nosniff keeps browsers from second-guessing it.
/// </summary>
public sealed class MediaContentResult(MediaItem item, Stream content, ByteRangeRequest? range)
    : IResult, IStatusCodeHttpResult, IContentTypeHttpResult, IEndpointMetadataProvider
{
    /// <summary>Private: the bytes belong to one user. Immutable: an id's bytes never change.</summary>
    public const string CacheControl = "private, max-age=31536000, immutable";

    public static EntityTagHeaderValue ETagOf(MediaItem item) => new($"\"{item.Sha256}\"");

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
            FileNameStar = item.DisplayName,
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

            await content.CopyToAsync(response.Body, httpContext.RequestAborted);
        }
    }

    public static void PopulateMetadata(System.Reflection.MethodInfo method, EndpointBuilder builder)
    {
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(Stream), ["application/octet-stream"]));
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status206PartialContent, typeof(Stream), ["application/octet-stream"]));
    }
}
