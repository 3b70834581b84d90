using Aspire.Hosting.ApplicationModel;
using Desirable.Contracts;

namespace Desirable.Hosting.SignIn;

/// <summary>
/// Where tokens come from, as the services see it: an authority (its discovery document and signing keys), the API
/// audience tokens must be issued for, and the web app's public client id. Auth0 or the local issuer; the
/// services cannot tell which.
/// </summary>
public sealed class IdentityProvider
{
    /// <summary>The API identifier Desirable's tokens carry as <c>aud</c>, in Auth0 and in the local issuer alike.</summary>
    public const string LocalAudience = LocalIdentity.Audience;

    /// <summary>The web app's public client at the local issuer.</summary>
    public const string LocalWebClientId = LocalIdentity.WebClientId;

    public required ReferenceExpression Authority { get; init; }

    public required ReferenceExpression Audience { get; init; }

    public required ReferenceExpression WebClientId { get; init; }

    /// <summary>The local issuer's resource when it stands in for Auth0; null with Auth0.</summary>
    public IResourceBuilder<ProjectResource>? LocalIssuer { get; init; }

    /// <summary>The Auth0 tenant's domain as given (no scheme); null with the local issuer.</summary>
    public ReferenceExpression? Auth0Domain { get; init; }
}
