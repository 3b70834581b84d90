using Microsoft.Extensions.Options;

namespace Desirable.MediaService.Identity;

/// <summary>
/// The single user of a platform without sign-in yet: every request acts as <c>Identity:DevelopmentUserId</c>.
/// Replaced by the token's subject when authentication lands; nothing else changes.
/// </summary>
internal sealed class DevelopmentUser(IOptions<IdentityOptions> options) : ICurrentUser
{
    public string Id => options.Value.DevelopmentUserId;
}

public sealed class IdentityOptions
{
    public const string SectionName = "Identity";

    public string DevelopmentUserId { get; set; } = "dev-user";
}
