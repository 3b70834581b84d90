using System.Net.Http.Json;
using System.Security.Cryptography;
using Aspire.Hosting.ApplicationModel;
using Desirable.Contracts;

namespace Aspire.Hosting;

/// <summary>Operator commands of the processor on the dashboard.</summary>
public static class ProcessorCommandExtensions
{
    public const string RedriveCommand = "redrive-jobs";

    /// <summary>
    /// Adds "Redrive failed jobs": the processor sends the jobs of its dead-letter queue through processing again
    /// (their items start over from Uploaded). The processor takes commands only with the key made here for this run
    /// of the AppHost, so nothing else on the machine can move jobs through its port.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithJobRedriveCommand(this IResourceBuilder<ProjectResource> processor)
    {
        ArgumentNullException.ThrowIfNull(processor);
        var key = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        return processor
            .WithEnvironment(ProcessorCommands.KeyVariable, key)
            .WithHttpCommand(ProcessorCommands.RedrivePath, "Redrive failed jobs", commandName: RedriveCommand, commandOptions: new HttpCommandOptions
            {
                Method = HttpMethod.Post,
                Description = "Send the jobs in the dead-letter queue through processing again, once their cause is fixed. " +
                    "Failed items among them start over.",
                IconName = "ArrowRepeatAll",
                ConfirmationMessage = "Send every job in the dead-letter queue through processing again?",
                PrepareRequest = context =>
                {
                    context.Request.Headers.Add(ProcessorCommands.KeyHeader, key);
                    return Task.CompletedTask;
                },
                GetCommandResult = async context =>
                {
                    // The processor says what it did in a sentence; the dashboard shows it as the command's result.
                    var answer = await ReadMessageAsync(context.Response, context.CancellationToken);
                    return context.Response.IsSuccessStatusCode
                        ? CommandResults.Success(answer ?? "Redrive finished.")
                        : CommandResults.Failure(answer ?? $"The processor answered {(int)context.Response.StatusCode}.");
                },
            });
    }

    private static async Task<string?> ReadMessageAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var body = await response.Content.ReadFromJsonAsync<MessageBody>(cancellationToken);
            return body?.Message ?? body?.Detail;
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or NotSupportedException)
        {
            return null;
        }
    }

    private sealed record MessageBody(string? Message, string? Detail);
}
