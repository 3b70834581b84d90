extern alias MediaService;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.SQS;
using Amazon.SQS.Model;
using Desirable.Aws.Sns;
using Desirable.Media.Catalog;
using Desirable.Media.Catalog.Sqlite;
using Desirable.Media.Model;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Desirable.MediaProcessor.Tests;

/// <summary>
/// The media service and the processor in-process, as the AppHost runs them, on real parts: the shared fauxqs (S3,
/// SQS with a dead-letter queue and redrive policy, SNS with a subscribed queue the tests read) and a SQLite catalog.
/// Short visibility timeout and two attempts, so retries and redeliveries happen within seconds.
/// </summary>
public sealed class ProcessingFixture : IAsyncLifetime
{
    public const int MaxAttempts = 2;
    public static readonly TimeSpan VisibilityTimeout = TimeSpan.FromSeconds(3);
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(45);

    private readonly string _directory = Directory.CreateTempSubdirectory("desirable-processing-").FullName;
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..12];

    public string BucketName => $"processing-{_suffix}";

    public string QueueName => $"jobs-{_suffix}";

    public string DeadLetterQueueName => $"jobs-dlq-{_suffix}";

    public string CatalogConnectionString => $"Data Source={Path.Combine(_directory, "catalog.db")};Default Timeout=5";

    /// <summary>The API and the processor on the fixture's queue.</summary>
    public MediaPipeline Pipeline { get; private set; } = null!;

    /// <summary>The processor of <see cref="Pipeline"/>: its services, its hosted worker and reconciler.</summary>
    public IServiceProvider ProcessorServices => Pipeline.Processor.Services;

    public LocalIssuer Issuer { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public IMediaCatalog Catalog { get; private set; } = null!;

    public AmazonS3Client S3 { get; private set; } = null!;

    public AmazonSQSClient Sqs { get; private set; } = null!;

    public string QueueUrl { get; private set; } = null!;

    public string DeadLetterQueueUrl { get; private set; } = null!;

    public string EventsQueueUrl { get; private set; } = null!;

    public string TopicArn { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var emulator = await SharedFauxqs.GetAsync();
        S3 = EmulatorClients.S3(emulator.ServiceUrl);
        Sqs = EmulatorClients.Sqs(emulator.ServiceUrl);
        await S3.PutBucketAsync(BucketName);

        // As the AppHost declares them: the dead-letter queue first, then the job queue that redrives to it.
        DeadLetterQueueUrl = (await Sqs.CreateQueueAsync(DeadLetterQueueName)).QueueUrl;
        var deadLetterArn = await QueueArnAsync(DeadLetterQueueUrl);
        QueueUrl = (await Sqs.CreateQueueAsync(new CreateQueueRequest
        {
            QueueName = QueueName,
            Attributes = new Dictionary<string, string>
            {
                ["VisibilityTimeout"] = ((int)VisibilityTimeout.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["RedrivePolicy"] = JsonSerializer.Serialize(new { deadLetterTargetArn = deadLetterArn, maxReceiveCount = MaxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture) }),
            },
        })).QueueUrl;

        var sns = EmulatorClients.Sns(emulator.ServiceUrl);
        TopicArn = await sns.CreateTopicAsync($"events-{_suffix}");
        EventsQueueUrl = (await Sqs.CreateQueueAsync($"events-{_suffix}")).QueueUrl;
        await sns.SubscribeAsync(TopicArn, "sqs", await QueueArnAsync(EventsQueueUrl), new Dictionary<string, string> { ["RawMessageDelivery"] = "true" });

        Catalog = new SqliteMediaCatalog(new SqliteCatalogOptions(CatalogConnectionString));
        await Catalog.InitializeAsync(CancellationToken.None);
        Issuer = await LocalIssuer.GetAsync();
        await Issuer.TokenAsync(LocalIssuer.Alice);
        Pipeline = StartPipeline(QueueName);
        Client = Pipeline.ApiClient;
    }

    /// <summary>
    /// An API and a processor on <paramref name="queueName"/>; <paramref name="settings"/> override the processor's.
    /// Both are started before this returns, so the processor is already polling.
    /// </summary>
    public MediaPipeline StartPipeline(string queueName, params (string Key, string Value)[] settings) =>
        StartPipeline(queueName, apiServices: null, settings);

    /// <summary>As above, with <paramref name="apiServices"/> changing the API's services (a test's hook into it).</summary>
    public MediaPipeline StartPipeline(string queueName, Action<IServiceCollection>? apiServices, params (string Key, string Value)[] settings)
    {
        var api = new ServiceFactory<MediaService::Program>(Issuer, host =>
        {
            Shared(host, queueName);
            if (apiServices is not null)
            {
                host.ConfigureTestServices(apiServices);
            }
        });
        var processor = new ProcessorFactory(host =>
        {
            Shared(host, queueName)
                .UseSetting("Processing:DeadLetterQueueName", DeadLetterQueueName)
                .UseSetting("Processing:EventsTopicArn", TopicArn)
                .UseSetting("Processing:VisibilityTimeout", VisibilityTimeout.ToString())
                .UseSetting("Processing:MaxAttempts", MaxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .UseSetting("Processing:Concurrency", "2")
                .UseSetting("Processing:ReconcileInterval", "01:00:00")
                .UseSetting("Processing:RepublishEventsAfter", "00:00:00");
            foreach (var (key, value) in settings)
            {
                host.UseSetting(key, value);
            }
        });
        return new MediaPipeline(api, processor);
    }

    /// <summary>The API alone on <paramref name="queueName"/>: no processor consumes what it sends.</summary>
    public ServiceFactory<MediaService::Program> StartApi(string queueName) =>
        new(Issuer, host => Shared(host, queueName));

    private IWebHostBuilder Shared(IWebHostBuilder host, string queueName) => host
        .UseSetting("ConnectionStrings:catalog", CatalogConnectionString)
        .UseSetting("Storage:BucketName", BucketName)
        .UseSetting("Storage:ForcePathStyle", "true")
        .UseSetting("Processing:QueueName", queueName);

    public async Task<string> QueueArnAsync(string queueUrl) =>
        (await Sqs.GetQueueAttributesAsync(queueUrl, ["QueueArn"])).QueueARN;

    /// <summary>Uploads through the API; returns the new item's id.</summary>
    public static async Task<Guid> UploadAsync(HttpClient client, byte[] bytes, string fileName)
    {
        using var form = TestMedia.Form((fileName, bytes));
        using var response = await client.PostAsync("/v3.0/media", form);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"upload failed: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetGuid();
    }

    /// <summary>Waits (bounded) until the item is Ready or Failed.</summary>
    public async Task<MediaItem> WaitForFinalAsync(Guid id)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < deadline)
        {
            if (await Catalog.FindAsync(id, CancellationToken.None) is { Status: MediaStatus.Ready or MediaStatus.Failed } item)
            {
                return item;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"Item {id} did not become Ready or Failed within {Patience.TotalSeconds} s; it is {(await Catalog.FindAsync(id, CancellationToken.None))?.Status}.");
    }

    /// <summary>Reads <paramref name="queueUrl"/> until a message about <paramref name="mediaId"/> arrives (bounded); others are left alone.</summary>
    public Task<Message> WaitForMessageAsync(string queueUrl, Guid mediaId) =>
        QueueMessages.WaitForAsync(Sqs, queueUrl, mediaId.ToString(), Patience);

    /// <summary>Waits until <paramref name="queueUrl"/> holds no message, visible or in flight.</summary>
    public async Task WaitUntilEmptyAsync(string queueUrl)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < deadline)
        {
            var attributes = await Sqs.GetQueueAttributesAsync(queueUrl, ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]);
            if (attributes.ApproximateNumberOfMessages == 0 && attributes.ApproximateNumberOfMessagesNotVisible == 0)
            {
                return;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"{queueUrl} did not empty within {Patience.TotalSeconds} s.");
    }

    public async Task<(string Url, string Name)> CreateQueueAsync(string purpose)
    {
        var name = $"{purpose}-{Guid.NewGuid():N}";
        return ((await Sqs.CreateQueueAsync(name)).QueueUrl, name);
    }

    /// <summary>What the uploader leaves: the original in the bucket and an Uploaded entry, without a job.</summary>
    public async Task<Guid> StoreUploadedItemAsync(byte[] jpeg, DateTimeOffset? updatedAt = null)
    {
        var id = Guid.CreateVersion7();
        await S3.PutObjectAsync(new Amazon.S3.Model.PutObjectRequest
        {
            BucketName = BucketName,
            Key = Desirable.Media.Storage.MediaObjectKeys.Original(id),
            InputStream = new MemoryStream(jpeg),
            ContentType = "image/jpeg",
        });
        var at = CatalogTime.Truncate(updatedAt ?? DateTimeOffset.UtcNow);
        await Catalog.AddAsync(new MediaItem
        {
            Id = id,
            Owner = LocalIssuer.Alice,
            DisplayName = "stored.jpg",
            ContentType = "image/jpeg",
            Kind = MediaKind.Image,
            Size = jpeg.Length,
            Sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(jpeg)),
            Status = MediaStatus.Uploaded,
            CreatedAt = at,
            UpdatedAt = at,
        }, CancellationToken.None);
        return id;
    }

    public Task<IReadOnlyList<string>> BucketContentsAsync() =>
        BucketContents.ListAsync(S3, BucketName, SharedFauxqs.S3StorageDirectory);

    public async ValueTask DisposeAsync()
    {
        if (Pipeline is not null)
        {
            await Pipeline.DisposeAsync();
        }

        S3?.Dispose();
        Sqs?.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
