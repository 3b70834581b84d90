using System.Collections.Concurrent;
using System.Threading.RateLimiting;

namespace Desirable.Gateway.Protection;

/// <summary>
/// A fixed window of <see cref="RateLimitOptions.PermitLimit"/> requests per client (see
/// <see cref="RateLimiting.PartitionKey"/>), counted without timers: a window is renewed when a request finds it over.
/// The framework's partitioned limiter keeps a 100 ms heartbeat per gateway instead, which measured 1.3% of a core
/// on an idle gateway (bench/Desirable.FootprintBench).
/// </summary>
public sealed class ClientWindowLimiter(RateLimitOptions limits, Func<HttpContext, RateLimiting.Client?> partition, TimeProvider time)
    : PartitionedRateLimiter<HttpContext>
{
    // Past this many callers, windows that are over are swept out on the next request (by then they hold nothing).
    private const int SweepAbove = 10_000;

    private static readonly RateLimitLease Granted = new Lease(true, null);

    private readonly ConcurrentDictionary<RateLimiting.Client, Window> _windows = new();
    private readonly TimeSpan _length = limits.Window;
    private readonly int _limit = limits.PermitLimit;
    private readonly int _assetLimit = limits.AssetPermitLimit;

    /// <summary>The limit and the window's length.</summary>
    public RateLimitOptions Limits => limits;

    /// <summary>How many callers' windows are kept: bounded, because ended windows are swept out.</summary>
    public int ClientsTracked => _windows.Count;

    public override RateLimiterStatistics? GetStatistics(HttpContext resource) => null;

    protected override RateLimitLease AttemptAcquireCore(HttpContext resource, int permitCount)
    {
        ArgumentNullException.ThrowIfNull(resource);
        if (partition(resource) is not { } client)
        {
            return Granted;
        }

        var now = time.GetTimestamp();
        if (_windows.Count > SweepAbove)
        {
            Sweep(now);
        }

        var window = _windows.GetOrAdd(client, static (_, start) => new Window(start), now);
        lock (window)
        {
            if (time.GetElapsedTime(window.Start, now) >= _length)
            {
                window.Start = now;
                window.Used = 0;
            }

            var limit = client.Kind is RateLimiting.ClientKind.UserAssets or RateLimiting.ClientKind.AddressAssets ? _assetLimit : _limit;
            if (window.Used + permitCount <= limit)
            {
                window.Used += permitCount;
                return Granted;
            }

            return new Lease(false, _length - time.GetElapsedTime(window.Start, now));
        }
    }

    // Nothing queues (a full window is refused at once), so waiting is trying.
    protected override ValueTask<RateLimitLease> AcquireAsyncCore(HttpContext resource, int permitCount, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AttemptAcquireCore(resource, permitCount));

    // A request that found a window just before it was swept counts in the window it holds; the next one starts a new
    // window. So a caller racing the sweep may get one more window's worth: rare (above 10,000 callers), and bounded.
    private void Sweep(long now)
    {
        foreach (var entry in _windows)
        {
            lock (entry.Value)
            {
                if (time.GetElapsedTime(entry.Value.Start, now) >= _length)
                {
                    _windows.TryRemove(entry);
                }
            }
        }
    }

    private sealed class Window(long start)
    {
        public long Start = start;
        public int Used;
    }

    private sealed class Lease(bool acquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = metadataName == MetadataName.RetryAfter.Name ? retryAfter : null;
            return metadata is not null;
        }
    }
}
