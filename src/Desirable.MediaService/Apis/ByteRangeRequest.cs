using Microsoft.Net.Http.Headers;

namespace Desirable.MediaService.Apis;

/// <summary>The single byte range a GET asks for (RFC 9110, section 14), resolved against the object's length.</summary>
public readonly record struct ByteRangeRequest(long From, long To)
{
    public long Length => To - From + 1;

    /// <summary>
    /// Resolves a Range header. Returns null for "the whole object" (no header, a unit other than bytes, or
    /// several ranges, which servers may answer in full). <paramref name="satisfiable"/> is false when the
    /// range lies wholly past the end, which is answered with 416.
    /// </summary>
    public static ByteRangeRequest? Resolve(string? rangeHeader, long objectLength, out bool satisfiable)
    {
        satisfiable = true;
        if (string.IsNullOrEmpty(rangeHeader) ||
            !RangeHeaderValue.TryParse(rangeHeader, out var range) ||
            !range.Unit.Equals("bytes", StringComparison.OrdinalIgnoreCase) ||
            range.Ranges.Count != 1)
        {
            return null;
        }

        var item = range.Ranges.Single();
        long from, to;
        if (item.From is { } start)
        {
            from = start;
            to = Math.Min(item.To ?? long.MaxValue, objectLength - 1);
        }
        else
        {
            // "bytes=-N": the last N bytes.
            var suffix = item.To ?? 0;
            from = Math.Max(0, objectLength - suffix);
            to = objectLength - 1;
            if (suffix == 0)
            {
                satisfiable = false;
                return null;
            }
        }

        if (from >= objectLength || from > to)
        {
            satisfiable = false;
            return null;
        }

        return new ByteRangeRequest(from, to);
    }
}
