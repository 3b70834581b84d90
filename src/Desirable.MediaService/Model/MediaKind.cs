namespace Desirable.MediaService.Model;

public enum MediaKind
{
    Image,
    Video,
}
