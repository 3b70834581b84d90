using Aspire.Hosting.ApplicationModel;
using Desirable.Hosting.Samples;
using Desirable.Hosting.SignIn;
using Desirable.Hosting.Tools;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Aspire.Hosting;

/// <summary>The media resource's first-start commands on the dashboard: sample media, and a reset of local data.</summary>
public static class SampleMediaCommandExtensions
{
    public const string SeedCommand = "seed-sample-media";
    public const string ResetCommand = "reset-local-media";

    /// <summary>
    /// Adds "Seed sample media" (landscapes for Alice and Bob and a short video for Alice, drawn and encoded on the
    /// spot, uploaded through the API as those users) and "Reset local media" (every item of every user deleted
    /// through the API, as Ada). Both sign in at the local issuer, so with Auth0 they are disabled and say so; both
    /// wait for the media service to be healthy.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithSampleMediaCommands(this IResourceBuilder<ProjectResource> media, IdentityProvider identity)
    {
        ArgumentNullException.ThrowIfNull(media);
        ArgumentNullException.ThrowIfNull(identity);
        var issuer = identity.LocalIssuer;

        ResourceCommandState State(UpdateCommandStateContext context) =>
            issuer is null ? ResourceCommandState.Disabled
            : context.ResourceSnapshot.HealthStatus == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy ? ResourceCommandState.Enabled
            : ResourceCommandState.Disabled;

        async Task<ExecuteCommandResult> RunAsync(ExecuteCommandContext context, bool seed)
        {
            if (issuer is null)
            {
                return CommandResults.Failure("Sample media needs the local issuer; with Auth0, upload through the web app instead.");
            }

            using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
            var logger = context.Services.GetRequiredService<ILoggerFactory>().CreateLogger<SampleMedia>();
            var samples = new SampleMedia(http, ToolProcess.RunAsync, logger);
            var mediaUrl = new Uri(media.Resource.GetEndpoint("http").Url);
            var issuerUrl = new Uri(issuer.Resource.GetEndpoint("http").Url);
            try
            {
                var (success, message) = seed
                    ? await samples.SeedAsync(mediaUrl, issuerUrl, context.CancellationToken)
                    : await samples.ResetAsync(mediaUrl, issuerUrl, context.CancellationToken);
                return success ? CommandResults.Success(message) : CommandResults.Failure(message);
            }
            catch (Exception e) when (e is HttpRequestException or InvalidOperationException or TaskCanceledException)
            {
                logger.LogError(e, "The {Command} command failed.", seed ? SeedCommand : ResetCommand);
                return CommandResults.Failure("The media service or the local issuer did not answer; see the AppHost's log.");
            }
        }

        return media
            .WithCommand(SeedCommand, "Seed sample media", context => RunAsync(context, seed: true), new CommandOptions
            {
                Description = "Upload sample landscapes for Alice and Bob and a short video for Alice (made on the spot), " +
                    "so the gallery has something to show. Needs the local issuer.",
                IconName = "ImageMultiple",
                UpdateState = State,
            })
            .WithCommand(ResetCommand, "Reset local media", context => RunAsync(context, seed: false), new CommandOptions
            {
                Description = "Delete every item of every user, with its files and variants. Needs the local issuer.",
                IconName = "Delete",
                ConfirmationMessage = "Delete every item of every user in this local app?",
                UpdateState = State,
            });
    }
}
