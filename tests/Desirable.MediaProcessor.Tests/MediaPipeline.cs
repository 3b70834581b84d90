extern alias MediaService;

using Microsoft.AspNetCore.Mvc.Testing;

namespace Desirable.MediaProcessor.Tests;

/// <summary>The media service's API and a processor on one queue, both started: what the AppHost's two resources are.</summary>
public sealed class MediaPipeline : IAsyncDisposable
{
    public MediaPipeline(WebApplicationFactory<MediaService::Program> api, ProcessorFactory processor)
    {
        Api = api;
        Processor = processor;
        ApiClient = api.CreateClient();
        ProcessorClient = processor.CreateClient();
    }

    public WebApplicationFactory<MediaService::Program> Api { get; }

    public ProcessorFactory Processor { get; }

    /// <summary>Calls the API as Alice.</summary>
    public HttpClient ApiClient { get; }

    /// <summary>Calls the processor: its health endpoints.</summary>
    public HttpClient ProcessorClient { get; }

    public async ValueTask DisposeAsync()
    {
        ApiClient.Dispose();
        ProcessorClient.Dispose();
        await Processor.DisposeAsync();
        await Api.DisposeAsync();
    }
}
