namespace Desirable.Identity.Users;

/// <summary>A seeded user of the local issuer. There are no passwords: a developer picks who to be.</summary>
public sealed record DevelopmentUser(
    string Subject,
    string Name,
    string Email,
    string Description,
    IReadOnlyList<string> Permissions,
    IReadOnlyList<string> Roles)
{
    /// <summary>The client id of the machine client that acts as this user (client credentials, for tests and scripts).</summary>
    public string ClientId => Contracts.LocalIdentity.MachineClient(Subject).Id;

    /// <summary>Not a secret: the local issuer never leaves a developer machine and only knows these seeded users.</summary>
    public string ClientSecret => Contracts.LocalIdentity.MachineClient(Subject).Secret;
}
