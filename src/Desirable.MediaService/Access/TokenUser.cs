using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Desirable.MediaService.Access;

/// <summary>
/// The current user from the request's validated token. Every media endpoint requires authentication, so a
/// missing subject is a wiring error, not a user error.
/// </summary>
internal sealed class TokenUser(IHttpContextAccessor accessor) : ICurrentUser
{
    private ClaimsPrincipal Principal => accessor.HttpContext?.User
        ?? throw new InvalidOperationException("The current user is only known inside a request.");

    public string Id => Principal.FindFirstValue(JwtRegisteredClaimNames.Sub)
        ?? throw new InvalidOperationException("The token has no subject; media endpoints must require authentication.");

    public bool IsAdministrator => Principal.HasClaim(MediaPermissions.ClaimType, MediaPermissions.Administer);
}
