namespace Desirable.Media.Catalog.Sqlite;

/// <summary>Where the SQLite catalog lives: the <c>ConnectionStrings:catalog</c> the AppHost injects.</summary>
public sealed record SqliteCatalogOptions(string ConnectionString);
