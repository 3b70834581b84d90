namespace Desirable.Identity.Users;

/// <summary>
/// The users a developer can sign in as, with Auth0's shapes: subjects like <c>auth0|...</c>, API permissions in the
/// <c>permissions</c> claim, roles in a namespaced claim.
/// </summary>
public static class DevelopmentUsers
{
    public const string Read = "read:media";
    public const string Write = "write:media";
    public const string Delete = "delete:media";
    public const string Admin = "admin:media";

    public static IReadOnlyList<DevelopmentUser> All { get; } =
    [
        new("auth0|alice", "Alice", "alice@desirable.example", "Creator: uploads, lists and deletes her own media.", [Read, Write, Delete], ["creator"]),
        new("auth0|bob", "Bob", "bob@desirable.example", "Creator, like Alice; sees only his own media.", [Read, Write, Delete], ["creator"]),
        new("auth0|vera", "Vera", "vera@desirable.example", "Viewer: may list and read her media, nothing else.", [Read], ["viewer"]),
        new("auth0|ada", "Ada", "ada@desirable.example", "Administrator: sees and manages everyone's media.", [Read, Write, Delete, Admin], ["admin"]),
    ];

    public static DevelopmentUser? FindBySubject(string? subject) => All.FirstOrDefault(u => u.Subject == subject);

    public static DevelopmentUser? FindByClientId(string? clientId) => All.FirstOrDefault(u => u.ClientId == clientId);
}
