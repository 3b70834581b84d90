using System.Diagnostics.Metrics;

namespace Desirable.Media.Storage;

/// <summary>What the bucket receives (meter <c>Desirable.Storage</c>): originals from the service, variants from the processor.</summary>
public sealed class StorageMetrics
{
    public const string MeterName = "Desirable.Storage";

    private readonly Counter<long> _bytesStored;

    public StorageMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _bytesStored = meterFactory.Create(MeterName)
            .CreateCounter<long>("desirable.storage.bytes_stored", "By", "Bytes written to the bucket: originals and variants.");
    }

    public void BytesStored(string what, long bytes) => _bytesStored.Add(bytes, new KeyValuePair<string, object?>("desirable.storage.object", what));
}
