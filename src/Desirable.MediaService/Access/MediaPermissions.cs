using Microsoft.AspNetCore.Authorization;

namespace Desirable.MediaService.Access;

/// <summary>
/// Auth0's RBAC shape: an API's permissions arrive as the token's <c>permissions</c> array. Each endpoint needs
/// one; <c>admin:media</c> widens what the others reach (everyone's items), it does not replace them.
/// </summary>
public static class MediaPermissions
{
    public const string ClaimType = "permissions";

    public const string Read = "read:media";
    public const string Write = "write:media";
    public const string Delete = "delete:media";
    public const string Administer = "admin:media";

    /// <summary>The policy of an item's bytes and variants: <see cref="Read"/>, or a signed URL.</summary>
    public const string ReadOrSigned = "read:media-or-signed-url";

    /// <summary>A policy per permission, named after it, so endpoints say <c>RequireAuthorization(MediaPermissions.Read)</c>.</summary>
    public static AuthorizationBuilder AddMediaPolicies(this AuthorizationBuilder authorization)
    {
        foreach (var permission in new[] { Read, Write, Delete })
        {
            authorization.AddPolicy(permission, policy => policy.RequireAuthenticatedUser().RequireClaim(ClaimType, permission));
        }

        authorization.AddPolicy(ReadOrSigned, policy => policy.AddRequirements(new ReadOrSignedRequirement()));

        return authorization;
    }
}
