using System.Threading.RateLimiting;
using Desirable.Gateway.Protection;
using Microsoft.AspNetCore.Http;

namespace Desirable.Gateway.Tests;

/// <summary>The per-client window on a clock the test moves: what a window allows, when it renews, what it says.</summary>
public sealed class ClientWindowLimiterTests
{
    private static readonly RateLimiting.Client Alice = new(RateLimiting.ClientKind.User, "auth0|alice");
    private static readonly RateLimiting.Client Bob = new(RateLimiting.ClientKind.User, "auth0|bob");

    private readonly ManualClock _clock = new();

    [Fact]
    public void AWindowAllowsItsLimitThenRefusesWithTheTimeLeft()
    {
        using var limiter = Limiter(permits: 3, window: TimeSpan.FromSeconds(60));

        var granted = Enumerable.Range(0, 3).Select(_ => limiter.AttemptAcquire(Request(Alice)).IsAcquired).ToList();
        _clock.Advance(TimeSpan.FromSeconds(20));
        using var refused = limiter.AttemptAcquire(Request(Alice));

        Assert.Equal([true, true, true], granted);
        Assert.False(refused.IsAcquired);
        Assert.True(refused.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter));
        Assert.Equal(TimeSpan.FromSeconds(40), retryAfter);
    }

    [Fact]
    public void AnotherClientHasAWindowOfItsOwn()
    {
        using var limiter = Limiter(permits: 1, window: TimeSpan.FromSeconds(60));

        Assert.True(limiter.AttemptAcquire(Request(Alice)).IsAcquired);
        Assert.False(limiter.AttemptAcquire(Request(Alice)).IsAcquired);
        Assert.True(limiter.AttemptAcquire(Request(Bob)).IsAcquired);
    }

    [Fact]
    public void AWindowRenewsOnceItsTimeIsOverAndNotBefore()
    {
        using var limiter = Limiter(permits: 1, window: TimeSpan.FromSeconds(60));
        Assert.True(limiter.AttemptAcquire(Request(Alice)).IsAcquired);

        _clock.Advance(TimeSpan.FromSeconds(59.9));
        var justBefore = limiter.AttemptAcquire(Request(Alice)).IsAcquired;
        _clock.Advance(TimeSpan.FromSeconds(0.1));
        var atTheEnd = limiter.AttemptAcquire(Request(Alice)).IsAcquired;

        Assert.False(justBefore);
        Assert.True(atTheEnd);
    }

    [Fact]
    public void AnUnpartitionedRequestIsNeverCounted()
    {
        using var limiter = new ClientWindowLimiter(new RateLimitOptions { PermitLimit = 1, Window = TimeSpan.FromSeconds(60) }, _ => null, _clock);

        Assert.All(Enumerable.Range(0, 5), _ => Assert.True(limiter.AttemptAcquire(new DefaultHttpContext()).IsAcquired));
    }

    [Fact]
    public void TenThousandCallersWhoseWindowsEndedAreForgotten()
    {
        var clients = Enumerable.Range(0, 10_001).Select(i => new RateLimiting.Client(RateLimiting.ClientKind.Address, $"10.0.{i / 256}.{i % 256}")).ToList();
        using var limiter = new ClientWindowLimiter(new RateLimitOptions { PermitLimit = 1, Window = TimeSpan.FromSeconds(60) }, c => (RateLimiting.Client)c.Items["client"]!, _clock);
        foreach (var client in clients)
        {
            Assert.True(limiter.AttemptAcquire(Request(client)).IsAcquired);
        }

        var before = limiter.ClientsTracked;

        _clock.Advance(TimeSpan.FromSeconds(61));
        // The next request sweeps; an earlier caller then starts a fresh window, as if never seen.
        Assert.True(limiter.AttemptAcquire(Request(Alice)).IsAcquired);
        var afterSweep = limiter.ClientsTracked;
        Assert.True(limiter.AttemptAcquire(Request(clients[0])).IsAcquired);
        Assert.False(limiter.AttemptAcquire(Request(clients[0])).IsAcquired);

        Assert.Equal(10_001, before);
        Assert.Equal(1, afterSweep);
    }

    private ClientWindowLimiter Limiter(int permits, TimeSpan window) =>
        new(new RateLimitOptions { PermitLimit = permits, Window = window }, c => (RateLimiting.Client)c.Items["client"]!, _clock);

    private static DefaultHttpContext Request(RateLimiting.Client client)
    {
        var context = new DefaultHttpContext();
        context.Items["client"] = client;
        return context;
    }

    /// <summary>A clock that moves only when told.</summary>
    private sealed class ManualClock : TimeProvider
    {
        private long _ticks = 1_000_000;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
