namespace Desirable.MediaProcessor;

/// <summary>
/// How long a job that failed for a temporary reason waits before its next attempt: <see cref="ProcessingOptions.RetryBaseDelay"/>
/// doubling with each attempt up to <see cref="ProcessingOptions.RetryMaxDelay"/>, with "equal jitter" (half fixed, half
/// random), so the jobs an outage failed together do not all come back in the same second. The wait is the message's
/// invisibility in SQS: no worker is held while a job waits.
/// </summary>
public static class RetryBackoff
{
    /// <param name="attempt">The attempt that failed (1 for the first).</param>
    /// <param name="settings">The base and the cap.</param>
    /// <param name="random">A number in [0, 1).</param>
    public static TimeSpan After(int attempt, ProcessingOptions settings, double random)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var full = Full(attempt, settings);
        return TimeSpan.FromSeconds(Math.Ceiling((full.TotalSeconds / 2) + (random * full.TotalSeconds / 2)));
    }

    /// <summary>The wait before jitter: base × 2^(attempt − 1), at most the cap.</summary>
    public static TimeSpan Full(int attempt, ProcessingOptions settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var doublings = Math.Clamp(attempt - 1, 0, 30);
        var seconds = Math.Min(settings.RetryMaxDelay.TotalSeconds, settings.RetryBaseDelay.TotalSeconds * Math.Pow(2, doublings));
        return TimeSpan.FromSeconds(seconds);
    }

    /// <summary>The longest time all attempts can take: every wait at its longest, and every attempt up to its time limit.</summary>
    public static TimeSpan LongestSpan(ProcessingOptions settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var total = TimeSpan.Zero;
        for (var attempt = 1; attempt <= settings.MaxAttempts; attempt++)
        {
            total += settings.JobTimeLimit + (attempt < settings.MaxAttempts ? Full(attempt, settings) : TimeSpan.Zero);
        }

        return total;
    }
}
