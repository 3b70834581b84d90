namespace Desirable.MediaService.Access;

/// <summary>Who is calling: the subject of the validated bearer token. Items belong to this id.</summary>
public interface ICurrentUser
{
    string Id { get; }

    /// <summary>Holds <c>admin:media</c>: sees and acts on everyone's items, not only their own.</summary>
    bool IsAdministrator { get; }
}
