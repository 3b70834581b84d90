using System.ComponentModel.DataAnnotations;
using Desirable.Contracts;

namespace Desirable.Identity;

/// <summary>Settings of the local issuer (section <c>Identity</c>); the AppHost sets them.</summary>
public sealed class IdentityOptions
{
    public const string SectionName = "Identity";

    /// <summary>The API identifier tokens are issued for, as Auth0's audience.</summary>
    [Required]
    public string Audience { get; set; } = LocalIdentity.Audience;

    /// <summary>Where the signing and encryption keys are kept between runs.</summary>
    [Required]
    public string KeyDirectory { get; set; } = "keys";

    /// <summary>
    /// The issuer URL tokens carry (<c>iss</c>), as the services reach it. Unset, OpenIddict takes the request's own
    /// address, which differs behind a proxy.
    /// </summary>
    public string? Issuer { get; set; }

    /// <summary>Browser origins that may call the token endpoint: the web app's, which exchanges its code there.</summary>
    public List<string> AllowedOrigins { get; set; } = [];

    /// <summary>Where the web app may receive authorization codes (its login callback), and return after sign-out.</summary>
    public List<string> WebRedirectUris { get; set; } = [];

    public List<string> WebPostLogoutRedirectUris { get; set; } = [];

    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromHours(1);
}
