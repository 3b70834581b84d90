using System.Globalization;
using System.Security.Claims;
using Desirable.Contracts;
using Desirable.Media.Catalog;
using Desirable.Media.Model;
using Desirable.Media.Storage;
using Desirable.MediaService.Access;
using Desirable.MediaService.Uploads;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Desirable.MediaService.Apis;

public static class MediaApi
{
    public const string BasePath = ApiPaths.Media;
    public const int MaxPageSize = 100;
    public const int DefaultPageSize = 20;

    public static IEndpointRouteBuilder MapMediaApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(BasePath).WithTags("Media")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        api.MapGet("/", ListMedia)
            .WithName("ListMedia")
            .RequireAuthorization(MediaPermissions.Read)
            .WithSummary("List media")
            .WithDescription("The caller's media (everyone's for admin:media), newest first, a page at a time. Follow nextCursor for the next page.")
            .ProducesProblem(StatusCodes.Status400BadRequest);

        api.MapPost("/", UploadMedia)
            .WithName("UploadMedia")
            .RequireAuthorization(MediaPermissions.Write)
            .WithSummary("Upload a file")
            .WithDescription("One image or video as a multipart/form-data file part. The type is read from the content.")
            .Accepts<IFormFile>("multipart/form-data")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status408RequestTimeout)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        api.MapGet("/upload-policy", GetUploadPolicy)
            .WithName("GetUploadPolicy")
            .RequireAuthorization(MediaPermissions.Read)
            .WithSummary("What the caller may upload")
            .WithDescription("Whether the caller may upload (with the reason when not), the largest file in bytes and the content types accepted, as this service is configured; and whether it may delete the items it sees.");

        api.MapGet("/{id}", GetMedia)
            .WithName("GetMedia")
            .RequireAuthorization(MediaPermissions.Read)
            .WithSummary("Get an item's metadata")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapMethods("/{id}/content", [HttpMethods.Get, HttpMethods.Head], GetMediaContent)
            .WithName("GetMediaContent")
            .RequireAuthorization(MediaPermissions.ReadOrSigned)
            .WithSummary("Download an item's bytes")
            .WithDescription("Supports a single byte range (Range: bytes=start-end). With a bearer token, or without one through the item's signed URL (urls.content).")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status416RangeNotSatisfiable);

        api.MapMethods("/{id}/variants/{name}", [HttpMethods.Get, HttpMethods.Head], GetMediaVariant)
            .WithName("GetMediaVariant")
            .RequireAuthorization(MediaPermissions.ReadOrSigned)
            .WithSummary("Download a variant (thumb, preview)")
            .WithDescription("Exists once the item is Ready. Supports a single byte range, like the content; a bearer token or the signed URL (urls.variants).")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status416RangeNotSatisfiable);

        api.MapDelete("/{id}", DeleteMedia)
            .WithName("DeleteMedia")
            .RequireAuthorization(MediaPermissions.Delete)
            .WithSummary("Delete an item, its bytes and its variants")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        return app;
    }

    public static async Task<Results<Ok<MediaPageResponse>, ProblemHttpResult>> ListMedia(
        [AsParameters] MediaServices services,
        [FromQuery] string? limit,
        [FromQuery] string? cursor,
        [FromQuery] string? kind,
        [FromQuery] string? status,
        CancellationToken cancellationToken)
    {
        var pageSize = DefaultPageSize;
        if (limit is not null &&
            (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) || pageSize is < 1 or > MaxPageSize))
        {
            return BadRequest("Invalid limit", $"limit must be a whole number from 1 to {MaxPageSize}.");
        }

        ListPosition? after = null;
        if (cursor is not null)
        {
            if (!ListCursor.TryDecode(cursor, out after))
            {
                return BadRequest("Invalid cursor", "cursor must be a nextCursor value returned by this API, unchanged.");
            }
        }

        if (!TryParseFilter<MediaKind>(kind, out var kindFilter))
        {
            return BadRequest("Invalid kind", $"kind must be one of: {string.Join(", ", Enum.GetNames<MediaKind>())}.");
        }

        if (!TryParseFilter<MediaStatus>(status, out var statusFilter) || statusFilter == MediaStatus.Deleting)
        {
            return BadRequest("Invalid status", $"status must be one of: {string.Join(", ", MediaStatuses.Visible)}.");
        }

        var page = await services.Catalog.ListAsync(
            new MediaListQuery(services.User.IsAdministrator ? null : services.User.Id, pageSize, after, kindFilter, statusFilter), cancellationToken);

        return TypedResults.Ok(new MediaPageResponse(
            [.. page.Items.Select(item => MediaItemResponse.From(item, services.SignedUrls))],
            page.Next is { } next ? ListCursor.Encode(next) : null));
    }

    public static async Task<Results<Created<MediaItemResponse>, ProblemHttpResult>> UploadMedia(
        HttpRequest request,
        [AsParameters] MediaServices services,
        CancellationToken cancellationToken)
    {
        try
        {
            var item = await services.Uploader.UploadAsync(request, services.User.Id, cancellationToken);
            var response = MediaItemResponse.From(item, services.SignedUrls);
            return TypedResults.Created(response.Links.Self, response);
        }
        catch (UploadRejectedException e)
        {
            if (e.RetryAfterSeconds is { } seconds)
            {
                request.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            }

            return TypedResults.Problem(title: e.Title, detail: e.Message, statusCode: e.StatusCode);
        }
    }

    public static async Task<Ok<UploadPolicyResponse>> GetUploadPolicy(
        ClaimsPrincipal user,
        IAuthorizationService authorization,
        IOptions<UploadOptions> options)
    {
        // The very policy the upload endpoint requires, so the answer cannot drift from what an upload would meet.
        var canUpload = (await authorization.AuthorizeAsync(user, MediaPermissions.Write)).Succeeded;
        var canDelete = (await authorization.AuthorizeAsync(user, MediaPermissions.Delete)).Succeeded;
        var limits = options.Value;
        return TypedResults.Ok(new UploadPolicyResponse(
            canUpload,
            canUpload ? null : $"Your account may view media but not upload it (it lacks the {MediaPermissions.Write} permission).",
            limits.MaxFileSizeBytes,
            limits.EffectiveAllowedContentTypes,
            canDelete));
    }

    public static async Task<Results<Ok<MediaItemResponse>, ProblemHttpResult>> GetMedia(
        string id,
        [AsParameters] MediaServices services,
        CancellationToken cancellationToken)
    {
        var (item, problem) = await FindOwnedAsync(id, services, cancellationToken);
        return item is null ? problem! : TypedResults.Ok(MediaItemResponse.From(item, services.SignedUrls));
    }

    public static async Task<Results<MediaContentResult, StatusCodeHttpResult, ProblemHttpResult>> GetMediaContent(
        string id,
        HttpRequest request,
        [AsParameters] MediaServices services,
        CancellationToken cancellationToken)
    {
        var (item, problem) = await FindOwnedAsync(id, services, cancellationToken, signed: IsSigned(request));
        if (item is null)
        {
            return problem!;
        }

        return await ServeAsync(StoredContent.Original(item), request, services, cancellationToken);
    }

    public static async Task<Results<MediaContentResult, StatusCodeHttpResult, ProblemHttpResult>> GetMediaVariant(
        string id,
        string name,
        HttpRequest request,
        [AsParameters] MediaServices services,
        CancellationToken cancellationToken)
    {
        if (!MediaVariantName.All.Contains(name, StringComparer.Ordinal))
        {
            return TypedResults.Problem(title: "Unknown variant",
                detail: $"Variants are: {string.Join(", ", MediaVariantName.All)}.", statusCode: StatusCodes.Status404NotFound);
        }

        var (item, problem) = await FindOwnedAsync(id, services, cancellationToken, signed: IsSigned(request));
        if (item is null)
        {
            return problem!;
        }

        if (item.Variant(name) is not { } variant)
        {
            var detail = item.Status switch
            {
                MediaStatus.Uploaded or MediaStatus.Processing => $"The item is {item.Status}; its {name} exists once it is Ready.",
                MediaStatus.Failed => $"Processing failed: {item.StatusReason}",
                _ => $"This {item.Kind.ToString().ToLowerInvariant()} has no {name}.",
            };
            return TypedResults.Problem(title: "Variant not available", detail: detail, statusCode: StatusCodes.Status404NotFound);
        }

        return await ServeAsync(StoredContent.Variant(item, name, variant), request, services, cancellationToken);
    }

    private static async Task<Results<MediaContentResult, StatusCodeHttpResult, ProblemHttpResult>> ServeAsync(
        StoredContent stored, HttpRequest request, MediaServices services, CancellationToken cancellationToken)
    {
        // Stored bytes never change under their key (the ETag is their SHA-256), so a client that has them needs nothing more.
        var etag = MediaContentResult.ETagOf(stored);
        if (request.GetTypedHeaders().IfNoneMatch.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(etag, useStrongComparison: false)))
        {
            request.HttpContext.Response.Headers.ETag = etag.ToString();
            request.HttpContext.Response.Headers.CacheControl = MediaContentResult.CacheControl;
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        var range = ByteRangeRequest.Resolve(request.Headers.Range, stored.Size, out var satisfiable);
        if (!satisfiable)
        {
            request.HttpContext.Response.Headers.ContentRange = $"bytes */{stored.Size}";
            return TypedResults.Problem(title: "Range not satisfiable",
                detail: $"The content is {stored.Size} bytes long.", statusCode: StatusCodes.Status416RangeNotSatisfiable);
        }

        var content = await services.Storage.OpenReadAsync(stored.Key, range?.From, range?.To, cancellationToken);
        if (content is null)
        {
            services.Logger.LogError("Object {Key} is in the catalog but missing from storage.", stored.Key);
            return TypedResults.Problem(title: "Content missing",
                detail: "The bytes are not in storage.", statusCode: StatusCodes.Status404NotFound);
        }

        return new MediaContentResult(stored, content, range);
    }

    /// <remarks>
    /// The item is marked Deleting first, then its objects go, then its entry (<see cref="Desirable.Media.MediaDeletion"/>).
    /// A DELETE of an item whose delete was cut off finishes it.
    /// </remarks>
    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteMedia(
        string id,
        [AsParameters] MediaServices services,
        CancellationToken cancellationToken)
    {
        var (item, problem) = await FindOwnedAsync(id, services, cancellationToken, includeDeleting: true);
        if (item is null)
        {
            return problem!;
        }

        return await services.Deletion.DeleteAsync(item, cancellationToken) ? TypedResults.NoContent() : NotFound(item.Id);
    }

    // Someone else's item answers exactly like a missing one, so ids reveal nothing. Administrators reach every item.
    // An item being deleted is already gone for every read; only a DELETE still reaches it, to finish the delete.
    // A signed URL was handed to someone allowed to read the item; it opens that item (and target) only, for anyone.
    private static async Task<(MediaItem? Item, ProblemHttpResult? Problem)> FindOwnedAsync(
        string id, MediaServices services, CancellationToken cancellationToken, bool includeDeleting = false, bool signed = false)
    {
        if (!Guid.TryParseExact(id, "D", out var mediaId))
        {
            return (null, BadRequest("Invalid id", "A media id is a GUID such as 0193a5c4-7f3e-7c2a-9d4e-1b2c3d4e5f60."));
        }

        var item = await services.Catalog.FindAsync(mediaId, cancellationToken);
        return item is not null && (signed || item.Owner == services.User.Id || services.User.IsAdministrator) &&
            (includeDeleting || item.Status != MediaStatus.Deleting)
            ? (item, null)
            : (null, NotFound(mediaId));
    }

    private static bool IsSigned(HttpRequest request) => request.HttpContext.Items.ContainsKey(SignedUrls.VerifiedItem);

    private static ProblemHttpResult NotFound(Guid id) =>
        TypedResults.Problem(title: "Not found", detail: $"There is no media item {id:D}.", statusCode: StatusCodes.Status404NotFound);

    private static bool TryParseFilter<TEnum>(string? value, out TEnum? result) where TEnum : struct, Enum
    {
        result = null;
        if (value is null)
        {
            return true;
        }

        // Names only: Enum.TryParse would also take "7" or "Image,Video".
        if (Enum.GetNames<TEnum>().FirstOrDefault(n => n.Equals(value, StringComparison.OrdinalIgnoreCase)) is { } name)
        {
            result = Enum.Parse<TEnum>(name);
            return true;
        }

        return false;
    }

    private static ProblemHttpResult BadRequest(string title, string detail) =>
        TypedResults.Problem(title: title, detail: detail, statusCode: StatusCodes.Status400BadRequest);
}
