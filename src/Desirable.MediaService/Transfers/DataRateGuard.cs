using Desirable.MediaService.Uploads;

namespace Desirable.MediaService.Transfers;

/// <summary>
/// Ends an upload or download whose client moves less than <see cref="UploadOptions.MinimumBytesPerSecond"/> over any
/// <see cref="UploadOptions.DataRateWindow"/>. Kestrel's own minimum rate is an average over the whole body, so a
/// client that sends a few megabytes and then a byte a second would hold its buffers for hours; here every window has
/// to bring its share, and a window starts again as soon as it has.
/// </summary>
public sealed class DataRateGuard : IDisposable
{
    private readonly CancellationTokenSource _tooSlow;
    private readonly CancellationTokenSource _linked;
    private readonly TimeSpan _window;
    private readonly long _bytesPerWindow;
    private long _received;

    public DataRateGuard(UploadOptions limits, CancellationToken requestAborted)
    {
        ArgumentNullException.ThrowIfNull(limits);
        _window = limits.DataRateWindow;
        _bytesPerWindow = (long)Math.Ceiling(limits.MinimumBytesPerSecond * _window.TotalSeconds);
        _tooSlow = new CancellationTokenSource(_window);
        _linked = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, _tooSlow.Token);
    }

    /// <summary>Cancelled when the client goes away or falls below the minimum rate.</summary>
    public CancellationToken Token => _linked.Token;

    /// <summary>Whether <see cref="Token"/> was cancelled for the rate (and not by the client leaving).</summary>
    public bool TooSlow => _tooSlow.IsCancellationRequested;

    /// <summary>The request body, read through this guard: every byte read counts, form fields and boundaries too.</summary>
    public Stream Watch(Stream body) => new WatchedBody(body, this);

    public void Transferred(int bytes)
    {
        _received += bytes;
        if (_received >= _bytesPerWindow && !_tooSlow.IsCancellationRequested)
        {
            // This window's share is in: the next one starts now.
            _received = 0;
            _tooSlow.CancelAfter(_window);
        }
    }

    public void Dispose()
    {
        _linked.Dispose();
        _tooSlow.Dispose();
    }

    /// <summary>A read-only pass-through that reports what it reads.</summary>
    private sealed class WatchedBody(Stream inner, DataRateGuard guard) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken);
            guard.Transferred(read);
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        // Kestrel forbids synchronous reads of the body; so does this.
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
