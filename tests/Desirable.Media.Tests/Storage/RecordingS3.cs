using System.Collections.Concurrent;
using System.Reflection;

namespace Desirable.Media.Tests.Storage;

/// <summary>The real S3 client, with a record of which calls were made (to tell one PutObject from a multipart upload).</summary>
public class RecordingS3 : S3Proxy
{
    public ConcurrentQueue<string> Calls { get; } = new();

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        Calls.Enqueue(targetMethod.Name.Replace("Async", "", StringComparison.Ordinal));
        return targetMethod.Invoke(Inner, args);
    }
}
