using System.Globalization;
using Desirable.Contracts;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// A service's own executable asking its <c>/alive</c> endpoint, for a container's health check: the images are the
/// .NET SDK's (no curl, no shell tools), so ECS runs <c>/app/Desirable.MediaService --probe-alive</c> in the container.
/// </summary>
public static class HealthProbe
{
    /// <summary>The argument that turns a service's start into one probe.</summary>
    public const string Argument = HealthPaths.AliveProbeArgument;

    /// <summary>Whether <paramref name="args"/> ask for a probe instead of the service.</summary>
    public static bool IsRequested(string[] args) => args is [Argument];

    /// <summary>
    /// Asks the service in this container, on the first port of <c>ASPNETCORE_HTTP_PORTS</c> (8080 unless set);
    /// exits 0 when it answers 200 within <paramref name="timeout"/>, 1 otherwise, with the reason on standard error
    /// (ECS keeps it with the task's health status).
    /// </summary>
    public static async Task<int> RunAsync(TimeSpan? timeout = null, string? ports = null)
    {
        var port = FirstPort(ports ?? Environment.GetEnvironmentVariable("ASPNETCORE_HTTP_PORTS"));
        var address = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}{HealthPaths.Alive}");
        using var client = new HttpClient { Timeout = timeout ?? TimeSpan.FromSeconds(3) };
        try
        {
            using var response = await client.GetAsync(address);
            if (response.IsSuccessStatusCode)
            {
                return 0;
            }

            await Console.Error.WriteLineAsync($"{address} answered {(int)response.StatusCode}.");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            await Console.Error.WriteLineAsync($"{address} did not answer: {e.Message}");
        }

        return 1;
    }

    private static int FirstPort(string? ports) =>
        ports?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) is [var first, ..] &&
        int.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            ? port
            : 8080;
}
