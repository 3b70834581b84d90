using Microsoft.Extensions.Options;

namespace Desirable.MediaService.Uploads;

/// <summary>
/// How many uploads run at once, in total and per user. Every running upload can hold two storage parts in memory
/// (<see cref="Desirable.Media.Storage.ObjectUpload"/>), so these limits are the service's memory bound for uploads.
/// A request over a limit is refused at once rather than queued: a queued request would hold its connection and its
/// unread body just the same.
/// </summary>
/// <remarks>A lock and a dictionary rather than a partitioned rate limiter: no timers, and an idle service does nothing.</remarks>
public sealed class UploadAdmission(IOptions<UploadOptions> options, UploadMetrics metrics)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, int> _perUser = new(StringComparer.Ordinal);
    private int _total;

    /// <summary>Uploads in progress now.</summary>
    public int InProgress => Volatile.Read(ref _total);

    /// <summary>A place for one upload by <paramref name="user"/>, or the rejection to send.</summary>
    public UploadSlot Enter(string user)
    {
        var limits = options.Value;
        lock (_lock)
        {
            var mine = _perUser.GetValueOrDefault(user);
            if (mine >= limits.MaxConcurrentUploadsPerUser)
            {
                metrics.Refused("user_busy");
                throw new UploadRejectedException(StatusCodes.Status429TooManyRequests, "Too many uploads at once",
                    $"You have {mine} uploads in progress, the most that may run at once. Send this file when one of them has finished.",
                    retryAfterSeconds: 5);
            }

            if (_total >= limits.MaxConcurrentUploads)
            {
                metrics.Refused("busy");
                throw new UploadRejectedException(StatusCodes.Status503ServiceUnavailable, "Too many uploads",
                    "The service is receiving as many uploads as it can at the moment. Try again in a few seconds.",
                    retryAfterSeconds: 5);
            }

            _perUser[user] = mine + 1;
            _total++;
        }

        metrics.Started();
        return new UploadSlot(this, user);
    }

    private void Leave(string user)
    {
        lock (_lock)
        {
            var mine = _perUser[user] - 1;
            if (mine == 0)
            {
                _perUser.Remove(user);
            }
            else
            {
                _perUser[user] = mine;
            }

            _total--;
        }

        metrics.Ended();
    }

    /// <summary>Held for the length of one upload.</summary>
    public sealed class UploadSlot(UploadAdmission admission, string user) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                admission.Leave(user);
            }
        }
    }
}
