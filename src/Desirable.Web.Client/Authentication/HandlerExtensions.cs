namespace Desirable.Web.Client.Authentication;

internal static class HandlerExtensions
{
    /// <summary>Chains a delegating handler in front of <paramref name="inner"/>, as an HttpClient factory would.</summary>
    public static DelegatingHandler WithInner(this DelegatingHandler handler, HttpMessageHandler inner)
    {
        handler.InnerHandler = inner;
        return handler;
    }
}
