using Desirable.Contracts;
namespace Desirable.Gateway.Routing;

/// <summary>
/// The <c>Uploads</c> section. The AppHost gives the gateway and the media service the same value, so the file-size
/// limit cannot drift apart between them.
/// </summary>
public sealed class UploadLimitOptions
{
    public const string SectionName = "Uploads";

    public long MaxFileSizeBytes { get; set; } = 100L * 1024 * 1024;

    /// <summary>Room for multipart framing: the same allowance the media service makes.</summary>
    public const long MultipartOverheadBytes = UploadFraming.MultipartOverheadBytes;

    public long MaxRequestBodyBytes => MaxFileSizeBytes + MultipartOverheadBytes;
}
