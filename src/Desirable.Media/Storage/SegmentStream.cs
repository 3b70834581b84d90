namespace Desirable.Media.Storage;

/// <summary>
/// A read-only, seekable stream over buffers that are read one after the other, so that an object held in two part
/// buffers goes up in one PutObject without being copied into one large array (the SDK needs a length and may rewind
/// to retry).
/// </summary>
internal sealed class SegmentStream(IReadOnlyList<ArraySegment<byte>> segments) : Stream
{
    private readonly long _length = segments.Sum(s => (long)s.Count);
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => _length;

    public override long Position
    {
        get => _position;
        set => _position = value is >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value));
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var copied = 0;
        var start = 0L;
        foreach (var segment in segments)
        {
            var end = start + segment.Count;
            if (_position < end && copied < buffer.Length)
            {
                var from = (int)(_position - start);
                var take = Math.Min(segment.Count - from, buffer.Length - copied);
                segment.AsSpan(from, take).CopyTo(buffer[copied..]);
                copied += take;
                _position += take;
            }

            start = end;
        }

        return copied;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => _position + offset,
        SeekOrigin.End => _length + offset,
        _ => throw new ArgumentOutOfRangeException(nameof(origin)),
    };

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
