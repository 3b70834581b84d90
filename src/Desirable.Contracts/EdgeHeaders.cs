namespace Desirable.Contracts;

/// <summary>Headers between the stage's CloudFront distribution, its load balancer and the gateway.</summary>
public static class EdgeHeaders
{
    /// <summary>The stage's origin secret: the load balancer forwards only requests that carry it; the gateway removes it.</summary>
    public const string OriginSecret = "X-Desirable-Origin";

    /// <summary>CloudFront's account of the viewer (<c>address:port</c>), which the gateway believes only with the origin secret.</summary>
    public const string ViewerAddress = "CloudFront-Viewer-Address";
}
