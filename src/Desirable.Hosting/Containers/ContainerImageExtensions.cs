using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Logging;

namespace Aspire.Hosting;

/// <summary>Where the containers mode's images come from, and what a developer is told when one does not start.</summary>
public static class ContainerImageExtensions
{
    /// <summary>The property a container that did not start shows its plain reason in.</summary>
    public const string ImageProblemProperty = "desirable.container.problem";

    /// <summary>
    /// Pulls the image through <paramref name="registry"/> (a corporate mirror of Docker Hub) when one is set, and
    /// says on the resource, in a sentence with the way out, when its container does not start: a pull that fails
    /// otherwise shows only "Failed to start" and the runtime's own words in the log.
    /// </summary>
    public static IResourceBuilder<T> WithImageSource<T>(this IResourceBuilder<T> builder, string? registry)
        where T : ContainerResource
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (registry is not null)
        {
            builder.WithImageRegistry(registry);
        }

        return builder.OnInitializeResource((resource, e, cancellationToken) =>
        {
            // Watches for as long as the app runs; the app's start does not wait for it.
            _ = ReportFailuresAsync(resource, e.Notifications, e.Logger, cancellationToken);
            return Task.CompletedTask;
        });
    }

    /// <summary>Shows a plain reason on the container while it has failed to start, and takes it away once it runs.</summary>
    internal static async Task ReportFailuresAsync(ContainerResource container, ResourceNotificationService notifications, ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var update in notifications.WatchAsync(cancellationToken))
            {
                if (update.Resource != container)
                {
                    continue;
                }

                var state = update.Snapshot.State?.Text;
                var shown = update.Snapshot.Properties.Any(p => p.Name == ImageProblemProperty);
                if (state == KnownResourceStates.FailedToStart && !shown)
                {
                    var problem = Problem(container);
                    logger.LogError("{Problem}", problem);
                    await notifications.PublishUpdateAsync(container, s => s with { Properties = [.. s.Properties, new(ImageProblemProperty, problem)] });
                }
                else if (state == KnownResourceStates.Running && shown)
                {
                    await notifications.PublishUpdateAsync(container, s => s with { Properties = [.. s.Properties.Where(p => p.Name != ImageProblemProperty)] });
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The app stops.
        }
    }

    internal static string Problem(ContainerResource container)
    {
        var image = container.Annotations.OfType<ContainerImageAnnotation>().Last();
        var reference = $"{(image.Registry is null ? "" : image.Registry + "/")}{image.Image}:{image.Tag}";
        return $"{container.Name} did not start. If its image {reference} could not be pulled (the log above has the runtime's words), " +
            $"check the network or sign in to the registry ('docker login {image.Registry ?? "docker.io"}'), or pull through a mirror that " +
            $"has it: --{Desirable.Hosting.Modes.ModeSelection.ContainerRegistryKey}=<mirror>.";
    }
}
