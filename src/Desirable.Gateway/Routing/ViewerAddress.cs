using System.Net;
using System.Security.Cryptography;
using System.Text;
using Desirable.Contracts;

namespace Desirable.Gateway.Routing;

/// <summary>
/// Behind CloudFront the load balancer forwards for CloudFront's edge, so every viewer of an edge would look like one
/// caller and share its rate-limit window. CloudFront says who the viewer is in <c>CloudFront-Viewer-Address</c>; the
/// gateway believes it only on requests that carry the stage's origin secret (<see cref="EdgeHeaders.OriginSecret"/>, which only the
/// stage's distribution knows), and removes the secret before anything is proxied.
/// </summary>
public static class ViewerAddress
{
    private const string OriginHeader = EdgeHeaders.OriginSecret;
    private const string ViewerHeader = EdgeHeaders.ViewerAddress;

    public static IApplicationBuilder UseViewerAddress(this IApplicationBuilder app, string? originSecret)
    {
        ArgumentNullException.ThrowIfNull(app);
        var secret = string.IsNullOrEmpty(originSecret) ? null : Encoding.UTF8.GetBytes(originSecret);
        return app.Use((context, next) =>
        {
            var headers = context.Request.Headers;
            if (secret is not null && headers.TryGetValue(OriginHeader, out var sent) &&
                CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(sent.ToString()), secret) &&
                TryParse(headers[ViewerHeader].ToString(), out var viewer))
            {
                context.Connection.RemoteIpAddress = viewer;
            }

            headers.Remove(OriginHeader);
            return next(context);
        });
    }

    /// <summary>CloudFront's form: <c>198.51.100.7:46532</c> or <c>2001:db8::1:46532</c> (the address, a colon, the port).</summary>
    public static bool TryParse(string value, out IPAddress? address)
    {
        address = null;
        var colon = value.LastIndexOf(':');
        return colon > 0 && IPAddress.TryParse(value.AsSpan(0, colon), out address);
    }
}
