using System.Security.Cryptography;
using System.Text;
using Desirable.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Desirable.MediaProcessor.Commands;

/// <summary>
/// Operator commands, called by the AppHost's dashboard commands. They exist only when the AppHost has given the
/// processor a key (<see cref="ProcessingOptions.CommandKey"/>), and answer only requests that carry it: the processor
/// has no sign-in, and nothing else may move jobs.
/// </summary>
public static class CommandApi
{
    public const string KeyHeader = ProcessorCommands.KeyHeader;
    public const string RedrivePath = ProcessorCommands.RedrivePath;

    public static IEndpointRouteBuilder MapCommandApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (string.IsNullOrEmpty(app.ServiceProvider.GetRequiredService<IOptions<ProcessingOptions>>().Value.CommandKey))
        {
            return app;
        }

        app.MapPost(RedrivePath, RedriveAsync).ExcludeFromDescription();
        return app;
    }

    public static async Task<Results<Ok<RedriveCommandResponse>, ProblemHttpResult>> RedriveAsync(
        HttpRequest request, JobRedrive redrive, IOptions<ProcessingOptions> options, CancellationToken cancellationToken)
    {
        if (!HasKey(request, options.Value.CommandKey!))
        {
            return TypedResults.Problem(title: "Not allowed", detail: "This command needs the key the AppHost gave the processor.",
                statusCode: StatusCodes.Status403Forbidden);
        }

        var result = await redrive.RunAsync(cancellationToken);
        return TypedResults.Ok(new RedriveCommandResponse(result.Redriven, result.LeftInDeadLetterQueue, result.Message));
    }

    private static bool HasKey(HttpRequest request, string key) =>
        request.Headers.TryGetValue(KeyHeader, out var sent) && sent.Count == 1 &&
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(sent[0] ?? ""), Encoding.UTF8.GetBytes(key));
}

public sealed record RedriveCommandResponse(int Redriven, int LeftInDeadLetterQueue, string Message);
