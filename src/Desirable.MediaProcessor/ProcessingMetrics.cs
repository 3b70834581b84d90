using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Desirable.MediaProcessor;

/// <summary>Processing metrics (meter <c>Desirable.Processing</c>, exported by the service defaults).</summary>
public sealed class ProcessingMetrics
{
    public const string MeterName = "Desirable.Processing";

    private readonly Histogram<double> _duration;
    private readonly Counter<long> _jobs;
    private readonly UpDownCounter<long> _decodeMemory;
    private readonly Counter<long> _decodeWaits;
    private long _queueDepth = -1;

    public ProcessingMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _duration = meter.CreateHistogram<double>("desirable.processing.duration", "s", "Time from receiving a job to its outcome.");
        _jobs = meter.CreateCounter<long>("desirable.processing.jobs", "{job}", "Jobs by kind and outcome: succeeded, failed, retried.");
        _decodeMemory = meter.CreateUpDownCounter<long>("desirable.processing.decode_memory", "By",
            "Memory reserved by image decodes in flight, against Processing:DecodeMemoryBudgetBytes.");
        _decodeWaits = meter.CreateCounter<long>("desirable.processing.decode_waits", "{decode}",
            "Decodes that had to wait for the memory budget.");
        meter.CreateObservableGauge("desirable.processing.queue.depth",
            () => _queueDepth < 0 ? [] : new[] { new Measurement<long>(_queueDepth) }, "{job}", "Jobs waiting or in flight.");
    }

    public void JobFinished(string kind, string outcome, TimeSpan elapsed)
    {
        var tags = new TagList { { "desirable.media.kind", kind }, { "desirable.processing.outcome", outcome } };
        _jobs.Add(1, tags);
        _duration.Record(elapsed.TotalSeconds, tags);
    }

    public void DecodeMemory(long change) => _decodeMemory.Add(change);

    public void DecodeWaited() => _decodeWaits.Add(1);

    public void QueueDepth(long depth) => Interlocked.Exchange(ref _queueDepth, depth);
}
