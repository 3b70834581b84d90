namespace Desirable.Media.Catalog;

/// <summary>An item with the same id is already in the catalog.</summary>
public sealed class CatalogConflictException(Guid id, Exception? inner = null)
    : Exception($"Media item {id} already exists in the catalog.", inner)
{
    public Guid Id { get; } = id;
}
