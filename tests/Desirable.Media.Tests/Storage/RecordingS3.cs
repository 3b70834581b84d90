using System.Collections.Concurrent;
using System.Reflection;
using Amazon.S3;

namespace Desirable.Media.Tests.Storage;

/// <summary>The real S3 client, with a record of which calls were made (to tell one PutObject from a multipart upload).</summary>
public class RecordingS3 : DispatchProxy
{
    private IAmazonS3 _inner = null!;

    public ConcurrentQueue<string> Calls { get; } = new();

    public static (IAmazonS3 Client, RecordingS3 Record) Wrap(IAmazonS3 inner)
    {
        var client = Create<IAmazonS3, RecordingS3>();
        var record = (RecordingS3)(object)client;
        record._inner = inner;
        return (client, record);
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        Calls.Enqueue(targetMethod.Name.Replace("Async", "", StringComparison.Ordinal));
        return targetMethod.Invoke(_inner, args);
    }
}
