using System.Reflection;
using Amazon.S3;
using Amazon.S3.Model;

namespace Desirable.MediaProcessor.Tests;

/// <summary>
/// The real S3 client with one outage at the worst moment, made to happen on demand: a PutObject that reaches the
/// bucket and then loses its answer (the connection breaks as the object lands), and deletes that cannot get through
/// while <see cref="DeletesFail"/> is set. Everything else goes to the real emulator unchanged.
/// </summary>
public class CutOffS3 : S3Proxy
{
    public bool DeletesFail { get; set; } = true;

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        return targetMethod.Name switch
        {
            nameof(IAmazonS3.PutObjectAsync) => LandThenBreak((Task<PutObjectResponse>)targetMethod.Invoke(Inner, args)!),
            nameof(IAmazonS3.DeleteObjectAsync) when DeletesFail => Break<DeleteObjectResponse>(),
            _ => targetMethod.Invoke(Inner, args),
        };
    }

    private static async Task<PutObjectResponse> LandThenBreak(Task<PutObjectResponse> put)
    {
        await put;
        throw new HttpRequestException("The connection was reset (a test's cut-off S3).");
    }

    private static Task<T> Break<T>() => Task.FromException<T>(new HttpRequestException("Connection refused (a test's cut-off S3)."));
}
