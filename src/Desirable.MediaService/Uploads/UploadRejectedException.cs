namespace Desirable.MediaService.Uploads;

/// <summary>The client sent something the upload endpoint does not accept; becomes a 4xx problem detail.</summary>
public sealed class UploadRejectedException(int statusCode, string title, string detail, int? retryAfterSeconds = null) : Exception(detail)
{
    public int StatusCode { get; } = statusCode;

    public string Title { get; } = title;

    /// <summary>For refusals under load: when trying again makes sense (the Retry-After header).</summary>
    public int? RetryAfterSeconds { get; } = retryAfterSeconds;
}
