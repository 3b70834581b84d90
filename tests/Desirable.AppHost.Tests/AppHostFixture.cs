using System.Net.Http.Json;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.SQS;
using Amazon.SQS.Model;
using Aspire.Hosting;

namespace Desirable.AppHost.Tests;

/// <summary>
/// The whole AppHost in embedded mode, started once for the end-to-end tests: fauxqs, the SQLite catalog, the
/// media service, the web app and the gateway, with its data in a temporary folder, a 1 MiB upload limit and
/// one extra CORS origin.
/// </summary>
public sealed class AppHostFixture : IAsyncLifetime
{
    public const long MaxFileSizeBytes = 1024 * 1024;

    /// <summary>A browser origin other than the gateway's that may call the API.</summary>
    public const string AllowedOrigin = "https://studio.desirable.example";

    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("desirable-e2e-").FullName;

    public DistributedApplication App { get; private set; } = null!;

    /// <summary>The gateway, called as Alice (signed in at the local issuer).</summary>
    public HttpClient Gateway { get; private set; } = null!;

    /// <summary>The gateway, called as Bob: another owner.</summary>
    public HttpClient GatewayAsBob { get; private set; } = null!;

    /// <summary>The gateway without a token.</summary>
    public HttpClient AnonymousGateway { get; private set; } = null!;

    public AmazonS3Client S3 { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        App = await EmbeddedAppHost.StartAsync(
            DataDirectory,
            $"--Desirable:Uploads:MaxFileSizeBytes={MaxFileSizeBytes}",
            $"--Desirable:Cors:AllowedOrigins:0={AllowedOrigin}");
        Gateway = App.CreateHttpClient("gateway", await App.TokenAsync(SignedInClients.Alice));
        GatewayAsBob = App.CreateHttpClient("gateway", await App.TokenAsync(SignedInClients.Bob));
        AnonymousGateway = App.CreateHttpClient("gateway");
        S3 = EmulatorClients.S3(App.GetEndpoint("aws", "http"));
    }

    /// <summary>Polls the item through the gateway until it is Ready or Failed (bounded: processing runs in the processor resource).</summary>
    public async Task<JsonElement> WaitForFinalStatusAsync(string id, HttpClient? asUser = null)
    {
        var client = asUser ?? Gateway;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var item = await client.GetFromJsonAsync<JsonElement>($"/v3.0/media/{id}");
            if (item.GetProperty("status").GetString() is "Ready" or "Failed" || DateTime.UtcNow > deadline)
            {
                return item;
            }

            await Task.Delay(250);
        }
    }

    /// <summary>The media event about <paramref name="id"/> from the audit queue subscribed to the events topic.</summary>
    public async Task<JsonElement> WaitForEventAsync(string id)
    {
        using var sqs = EmulatorClients.Sqs(App.GetEndpoint("aws", "http"));
        var queueUrl = (await sqs.GetQueueUrlAsync("desirable-local-media-events-audit")).QueueUrl;
        var message = await QueueMessages.WaitForAsync(sqs, queueUrl, id, TimeSpan.FromSeconds(30));
        return JsonDocument.Parse(message.Body).RootElement;
    }

    /// <summary>Every key in the media bucket and every open multipart upload, from fauxqs's folder under the data directory.</summary>
    public Task<IReadOnlyList<string>> BucketContentsAsync() =>
        BucketContents.ListAsync(S3, "desirable-local-media-000000000000-us-east-1", Path.Combine(DataDirectory, "aws", "s3"));

    /// <summary>Every item id in the catalog file, read directly rather than through the API.</summary>
    public async Task<IReadOnlyList<string>> CatalogContentsAsync() =>
    [
        .. (await CatalogFile.StatusesAsync(
                $"Data Source={Path.Combine(DataDirectory, "catalog", "catalog.db")};Mode=ReadOnly;Pooling=False", CancellationToken.None))
            .Keys.Select(id => id.ToString()).Order(StringComparer.Ordinal),
    ];

    public async ValueTask DisposeAsync()
    {
        Gateway?.Dispose();
        GatewayAsBob?.Dispose();
        AnonymousGateway?.Dispose();
        S3?.Dispose();
        if (App is not null)
        {
            await App.DisposeAsync();
        }

        Directory.Delete(DataDirectory, recursive: true);
    }
}
