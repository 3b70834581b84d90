using System.Diagnostics.Metrics;

namespace Desirable.MediaService.Uploads;

/// <summary>Uploads in progress and uploads refused (meter <c>Desirable.Uploads</c>).</summary>
public sealed class UploadMetrics
{
    public const string MeterName = "Desirable.Uploads";

    private readonly UpDownCounter<long> _active;
    private readonly Counter<long> _refused;

    public UploadMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _active = meter.CreateUpDownCounter<long>("desirable.uploads.active", "{upload}", "Uploads being received now.");
        _refused = meter.CreateCounter<long>("desirable.uploads.refused", "{upload}",
            "Uploads refused for load: busy (the service's limit), user_busy (the user's limit), too_slow (below the minimum data rate).");
    }

    public void Started() => _active.Add(1);

    public void Ended() => _active.Add(-1);

    public void Refused(string reason) => _refused.Add(1, new KeyValuePair<string, object?>("desirable.upload.refusal", reason));
}
