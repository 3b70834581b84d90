namespace Desirable.Media.Model;

public enum MediaKind
{
    Image,
    Video,
}
