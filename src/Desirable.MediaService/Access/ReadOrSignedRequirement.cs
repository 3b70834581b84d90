using Desirable.Contracts;
using Microsoft.AspNetCore.Authorization;

namespace Desirable.MediaService.Access;

/// <summary>
/// An item's bytes or variant may be read with <c>read:media</c>, or without any token through a URL this service signed
/// for exactly that item and target and that has not expired.
/// </summary>
public sealed class ReadOrSignedRequirement : IAuthorizationRequirement;

internal sealed class ReadOrSignedHandler(SignedUrls signedUrls) : AuthorizationHandler<ReadOrSignedRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ReadOrSignedRequirement requirement)
    {
        if (context.User.Identity?.IsAuthenticated == true && context.User.HasClaim(MediaPermissions.ClaimType, MediaPermissions.Read))
        {
            context.Succeed(requirement);
        }
        else if (context.Resource is HttpContext http &&
            Guid.TryParseExact(http.Request.RouteValues["id"] as string, "D", out var id) &&
            signedUrls.IsValid(id, http.Request.RouteValues["name"] as string ?? SignedUrls.ContentTarget,
                http.Request.Query[SignedUrlQuery.Expires], http.Request.Query[SignedUrlQuery.Signature]))
        {
            http.Items[SignedUrls.VerifiedItem] = true;
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
