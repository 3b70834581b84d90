namespace Desirable.Media.Catalog;

/// <summary>Creates the catalog's schema before the service accepts requests.</summary>
internal sealed class CatalogInitializer(IMediaCatalog catalog, ILogger<CatalogInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await catalog.InitializeAsync(cancellationToken);
        logger.LogInformation("Media catalog ready ({Catalog}).", catalog.GetType().Name);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
