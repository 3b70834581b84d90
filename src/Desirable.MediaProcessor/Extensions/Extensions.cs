using Desirable.Aws.Sns;
using Desirable.MediaProcessor.Events;
using Desirable.MediaProcessor.Images;
using Desirable.MediaProcessor.Videos;
using Microsoft.Extensions.Options;

namespace Desirable.MediaProcessor.Extensions;

public static class Extensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddProblemDetails();

        // Shared with the media service: the catalog, the bucket, the job queue.
        builder.AddMediaCatalog();
        builder.AddMediaStorage();
        builder.AddProcessingJobs();
        builder.Services.AddSingleton<Desirable.Media.MediaDeletion>();

        builder.Services.AddOptions<ProcessingOptions>().BindConfiguration(ProcessingOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<ProcessingMetrics>();
        builder.Services.AddHttpClient(nameof(SnsClient));
        builder.Services.AddSingleton(services => new SnsClient(services.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(SnsClient))));
        builder.Services.AddSingleton<MediaEventPublisher>();
        builder.Services.AddSingleton<DecodeBudget>();
        builder.Services.AddSingleton(services => new ImageVariantMaker(services.GetRequiredService<IOptions<ProcessingOptions>>().Value.Quality));
        builder.Services.AddSingleton(services =>
        {
            var settings = services.GetRequiredService<IOptions<ProcessingOptions>>().Value;
            return new VideoPosterMaker(FfmpegTools.From(settings), services.GetRequiredService<ImageVariantMaker>(),
                services.GetRequiredService<DecodeBudget>(), services.GetRequiredService<ILogger<VideoPosterMaker>>());
        });
        builder.Services.AddScoped<MediaItemProcessor>();
        builder.Services.AddSingleton<Commands.JobRedrive>();

        builder.Services.AddSingleton<FfmpegAvailability>();
        builder.Services.AddHostedService<ProcessingWorker>();
        builder.Services.AddHostedService<ProcessingReconciler>();
        builder.Services.AddHealthChecks().AddCheck<FfmpegHealthCheck>("ffmpeg");

        return builder;
    }
}
