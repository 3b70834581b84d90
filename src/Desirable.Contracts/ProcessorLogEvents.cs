namespace Desirable.Contracts;

/// <summary>
/// The processor's log events that the Monitoring stack's metric filters count and measure, by their event ids. In AWS
/// the services log one JSON object per line, in which these ids are the <c>EventId</c> field: changing one silently
/// empties a dashboard widget and an alarm.
/// </summary>
public static class ProcessorLogEvents
{
    /// <summary>An item became Ready; its <c>ElapsedMs</c> is the job's processing time.</summary>
    public const int ItemReady = 2001;

    /// <summary>An item was marked Failed (a refused file, a time limit, or every attempt spent).</summary>
    public const int ItemFailed = 2002;
}
