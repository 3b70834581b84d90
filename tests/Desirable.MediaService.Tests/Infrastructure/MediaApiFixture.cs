using System.Net.Http.Headers;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Desirable.Media.Catalog;
using Desirable.Media.Catalog.Sqlite;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;

namespace Desirable.MediaService.Tests.Infrastructure;

/// <summary>
/// The media service in-process (WebApplicationFactory) on its real dependencies: a fauxqs process for S3 and a
/// SQLite file for the catalog. The upload limit is 12 MiB and parts are 5 MiB, so tests exercise the multipart
/// path and the limit without sending 100 MB.
/// </summary>
public sealed class MediaApiFixture : IAsyncLifetime
{
    public const long MaxFileSizeBytes = 12L * 1024 * 1024;
    public const int PartSizeBytes = 5 * 1024 * 1024;

    private readonly string _directory = Directory.CreateTempSubdirectory("desirable-media-tests-").FullName;
    private FauxqsEmulator? _emulator;

    public string BucketName { get; } = $"media-{Guid.NewGuid():N}"[..30];

    public string QueueName { get; } = $"jobs-{Guid.NewGuid():N}";

    private static string S3StorageDirectory => SharedFauxqs.S3StorageDirectory;

    public FauxqsEmulator Emulator => _emulator!;

    public string CatalogConnectionString => $"Data Source={Path.Combine(_directory, "catalog.db")};Default Timeout=2";

    public WebApplicationFactory<Program> Factory { get; private set; } = null!;

    public LocalIssuer Issuer { get; private set; } = null!;

    public AmazonS3Client S3 { get; private set; } = null!;

    public IMediaCatalog Catalog { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        // The service reads the standard AWS variables, exactly as under the AppHost; the shared emulator sets them.
        _emulator = await SharedFauxqs.GetAsync();
        Issuer = await LocalIssuer.GetAsync();
        foreach (var user in new[] { LocalIssuer.Alice, LocalIssuer.Bob, LocalIssuer.Vera, LocalIssuer.Ada })
        {
            await Issuer.TokenAsync(user);
        }

        S3 = EmulatorClients.S3(_emulator.ServiceUrl);
        await S3.PutBucketAsync(BucketName);
        using (var sqs = EmulatorClients.Sqs(_emulator.ServiceUrl))
        {
            // Uploads send their processing job here; these tests look at the API only, so no worker consumes it.
            await sqs.CreateQueueAsync(QueueName);
        }

        Factory = CreateFactory(BucketName);
        // Started now, so the catalog's schema exists before a test first looks at it directly.
        _ = Factory.Server;
        Catalog = new SqliteMediaCatalog(new SqliteCatalogOptions(CatalogConnectionString));
    }

    /// <summary>A service instance on the same catalog, writing to <paramref name="bucketName"/>; <paramref name="configure"/> adds settings.</summary>
    public WebApplicationFactory<Program> CreateFactory(string bucketName, Action<IWebHostBuilder>? configure = null) =>
        new ServiceFactory<Program>(Issuer, host =>
        {
            host.UseSetting("ConnectionStrings:catalog", CatalogConnectionString)
                .UseSetting("Storage:BucketName", bucketName)
                .UseSetting("Storage:ForcePathStyle", "true")
                .UseSetting("Storage:PartSizeBytes", PartSizeBytes.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .UseSetting("Uploads:MaxFileSizeBytes", MaxFileSizeBytes.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .UseSetting("Processing:QueueName", QueueName);
            configure?.Invoke(host);
        });

    /// <summary>One request with <paramref name="token"/> as its bearer (null: none); a POST uploads a tiny JPEG.</summary>
    public async Task<HttpResponseMessage> SendAsync(string? token, HttpMethod method, string path, CancellationToken cancellationToken)
    {
        using var client = Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = token is null ? null : new AuthenticationHeaderValue("Bearer", token);
        using var request = new HttpRequestMessage(method, path)
        {
            Content = method == HttpMethod.Post ? TestMedia.Form(("request.jpg", TestMedia.TinyJpeg)) : null,
        };
        return await client.SendAsync(request, cancellationToken);
    }

    /// <summary>Every key in the bucket plus every multipart upload still open: what a request may have left behind.</summary>
    public Task<IReadOnlyList<string>> BucketContentsAsync() =>
        BucketContents.ListAsync(S3, BucketName, S3StorageDirectory);

    /// <summary>Every item id in the catalog, whoever owns it.</summary>
    public async Task<IReadOnlyList<Guid>> CatalogContentsAsync()
    {
        var page = await Catalog.ListAsync(new MediaListQuery(Owner: null, Limit: 100), CancellationToken.None);
        return [.. page.Items.Select(i => i.Id)];
    }

    public async ValueTask DisposeAsync()
    {
        await Factory.DisposeAsync();
        S3?.Dispose();

        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
