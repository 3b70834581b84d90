namespace Desirable.MediaService.Identity;

/// <summary>Who is calling. Items belong to this id; until sign-in arrives it is one configured development user.</summary>
public interface ICurrentUser
{
    string Id { get; }
}
