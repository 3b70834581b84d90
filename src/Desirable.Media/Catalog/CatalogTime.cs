namespace Desirable.Media.Catalog;

/// <summary>
/// Catalog times are kept to the millisecond, the precision of a BSON date, in every store; so an item reads back
/// the same from SQLite and MongoDB and a cursor made from one store's page means the same in the other.
/// </summary>
public static class CatalogTime
{
    public static DateTimeOffset Truncate(DateTimeOffset at) =>
        new(at.UtcTicks - (at.UtcTicks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);

    public static bool IsWholeMillisecond(DateTimeOffset at) => at.UtcTicks % TimeSpan.TicksPerMillisecond == 0;
}
