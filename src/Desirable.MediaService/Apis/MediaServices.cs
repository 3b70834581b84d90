using Desirable.Media.Catalog;
using Desirable.Media.Storage;
using Desirable.MediaService.Access;
using Desirable.MediaService.Uploads;

namespace Desirable.MediaService.Apis;

/// <summary>What the media endpoints depend on, bound with <c>[AsParameters]</c>.</summary>
public sealed record MediaServices(
    IMediaCatalog Catalog,
    MediaStorage Storage,
    MediaUploader Uploader,
    Desirable.Media.MediaDeletion Deletion,
    ICurrentUser User,
    SignedUrls SignedUrls,
    ILogger<MediaServices> Logger);
