extern alias MediaService;

using System.Net.Http.Headers;
using Desirable.Media.Model;
using MediaService::Desirable.MediaService.Uploads;
using Microsoft.Extensions.DependencyInjection;

namespace Desirable.MediaProcessor.Tests;

/// <summary>
/// The API and the processor as the hostile-input suite meets them: their own queues, bucket and catalog; a decode
/// memory budget of 200 MB and an upload limit of 1 MiB, so bombs on both sides of every limit stay cheap; an item of
/// Bob's and one of Alice's, for the requests that reach for other people's things.
/// </summary>
public sealed class HostileSuite : IAsyncLifetime
{
    public const long MaxFileSizeBytes = 1024 * 1024;
    public const long DecodeBudgetBytes = 200_000_000;

    public ProcessingFixture Fixture { get; } = new();

    public MediaPipeline Pipeline { get; private set; } = null!;

    public string QueueUrl { get; private set; } = null!;

    public Guid BobsItem { get; private set; }

    public Guid AlicesItem { get; private set; }

    public async ValueTask InitializeAsync()
    {
        await Fixture.InitializeAsync();
        // A queue of its own: the fixture's pipeline, with the default limits, consumes the fixture's.
        (QueueUrl, var queueName) = await Fixture.CreateQueueAsync("hostile");
        Pipeline = Fixture.StartPipeline(queueName,
            services => services.Configure<UploadOptions>(options => options.MaxFileSizeBytes = MaxFileSizeBytes),
            ("Processing:DecodeMemoryBudgetBytes", DecodeBudgetBytes.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        AlicesItem = await ProcessingFixture.UploadAsync(Pipeline.ApiClient, TestImages.Jpeg(64, 48), "alice.jpg");
        using var bob = await ClientAsync(LocalIssuer.Bob);
        BobsItem = await ProcessingFixture.UploadAsync(bob, TestImages.Jpeg(64, 48), "bob.jpg");
        foreach (var id in new[] { AlicesItem, BobsItem })
        {
            Assert.Equal(MediaStatus.Ready, (await Fixture.WaitForFinalAsync(id)).Status);
            await Fixture.WaitForMessageAsync(Fixture.EventsQueueUrl, id);
        }
    }

    /// <summary>A client of the suite's API as <paramref name="user"/> (null: no token).</summary>
    public async Task<HttpClient> ClientAsync(string? user)
    {
        var client = Pipeline.Api.CreateClient();
        client.DefaultRequestHeaders.Authorization = user is null
            ? null
            : new AuthenticationHeaderValue("Bearer", await Fixture.Issuer.TokenAsync(user));
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await Pipeline.DisposeAsync();
        await Fixture.DisposeAsync();
    }
}
