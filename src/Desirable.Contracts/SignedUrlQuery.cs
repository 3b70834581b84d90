namespace Desirable.Contracts;

/// <summary>
/// The query of the media service's signed URLs (<c>?expires=…&amp;sig=…</c>): the media service writes and checks it, the
/// gateway lets reads carrying it through without a token.
/// </summary>
public static class SignedUrlQuery
{
    public const string Expires = "expires";

    public const string Signature = "sig";
}
