namespace Desirable.Contracts;

/// <summary>What an upload request may carry beyond the file: the gateway and the media service allow the same.</summary>
public static class UploadFraming
{
    /// <summary>Room for multipart boundaries and part headers on top of the file itself.</summary>
    public const long MultipartOverheadBytes = 64 * 1024;
}
