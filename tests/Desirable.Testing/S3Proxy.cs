using System.Reflection;
using Amazon.S3;

namespace Desirable.Testing;

/// <summary>
/// The real S3 client with a test's hand in between: a subclass sees every call in <see cref="DispatchProxy.Invoke"/>
/// and passes it on to <see cref="Inner"/>, or does something else (records it, fails it).
/// </summary>
public abstract class S3Proxy : DispatchProxy
{
    protected IAmazonS3 Inner { get; private set; } = null!;

    /// <summary>A client that goes through a new <typeparamref name="TProxy"/> to <paramref name="inner"/>, and that proxy.</summary>
    public static (IAmazonS3 Client, TProxy Proxy) Wrap<TProxy>(IAmazonS3 inner)
        where TProxy : S3Proxy
    {
        var client = Create<IAmazonS3, TProxy>();
        var proxy = (TProxy)(object)client;
        proxy.Inner = inner;
        return (client, proxy);
    }
}
