using System.Security.Claims;
using Microsoft.IdentityModel.Tokens;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// A principal that many requests share, so nothing may change it: adding or removing identities or claims throws
/// instead of reaching every later request with the same token. Claim lookups stay case-sensitive, as JwtBearer's own
/// identities (<see cref="CaseSensitiveClaimsIdentity"/>) are. Code that wants to add claims works on a copy:
/// <c>new ClaimsPrincipal(principal.Identities.Select(i =&gt; i.Clone()))</c>.
/// </summary>
public sealed class FrozenPrincipal : ClaimsPrincipal
{
    private FrozenPrincipal(IEnumerable<ClaimsIdentity> identities)
        : base(identities)
    {
    }

    /// <summary>A frozen copy of <paramref name="principal"/>: later changes to the original do not reach it either.</summary>
    public static FrozenPrincipal Of(ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return principal as FrozenPrincipal ?? new FrozenPrincipal([.. principal.Identities.Select(identity => new FrozenIdentity(identity))]);
    }

    public override void AddIdentity(ClaimsIdentity identity) => throw Frozen();

    public override void AddIdentities(IEnumerable<ClaimsIdentity> identities) => throw Frozen();

    private static InvalidOperationException Frozen() => new(
        "This principal is shared by every request with the same token and cannot change. Copy it first: " +
        "new ClaimsPrincipal(principal.Identities.Select(i => i.Clone())).");

    private sealed class FrozenIdentity(ClaimsIdentity identity) : CaseSensitiveClaimsIdentity(identity)
    {
        public override void AddClaim(Claim claim) => throw Frozen();

        public override void AddClaims(IEnumerable<Claim?> claims) => throw Frozen();

        public override bool TryRemoveClaim(Claim? claim) => throw Frozen();

        public override void RemoveClaim(Claim? claim) => throw Frozen();
    }
}
