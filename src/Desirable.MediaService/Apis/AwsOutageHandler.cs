using Desirable.Media;
using Microsoft.AspNetCore.Diagnostics;

namespace Desirable.MediaService.Apis;

/// <summary>
/// A request that needed S3 or SQS while they were not answering gets a 503 with Retry-After and a plain sentence
/// instead of a 500: nothing is wrong with the request, and trying again later works. The exception goes to the log.
/// Uploads say more for themselves (<see cref="Uploads.MediaUploader"/>); this covers reading content.
/// </summary>
public sealed class AwsOutageHandler(IProblemDetailsService problems, ILogger<AwsOutageHandler> logger) : IExceptionHandler
{
    public const int RetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!AwsOutage.Is(exception) || httpContext.Response.HasStarted)
        {
            return false;
        }

        logger.LogWarning(exception, "{Method} {Path}: storage is not answering.", httpContext.Request.Method, httpContext.Request.Path);
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails =
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Storage unavailable",
                Detail = $"Storage is not answering for the moment. Try again in {RetryAfterSeconds} seconds.",
            },
        });
    }
}
