namespace Desirable.Gateway.Protection;

/// <summary>
/// Which of the gateway's protections run (section <c>Gateway:Protections</c>). All are on, and only the gateway
/// benchmark turns any off (in the <see cref="BenchmarkEnvironment"/>): it measures what they cost by running this
/// very gateway with and without them, so there is no copy of the pipeline to keep in step.
/// </summary>
public sealed class GatewayProtections
{
    public const string SectionName = "Gateway:Protections";

    /// <summary>The only environment in which a protection may be off.</summary>
    public const string BenchmarkEnvironment = "Benchmark";

    /// <summary>Bearer tokens validated at the edge; the API route requires one.</summary>
    public bool Authentication { get; set; } = true;

    /// <summary>Requests counted per user (or per address without a token) and refused over the limit.</summary>
    public bool RateLimiting { get; set; } = true;

    /// <summary>Security headers on every response.</summary>
    public bool SecurityHeaders { get; set; } = true;

    /// <summary>Cross-origin calls only from the configured origins.</summary>
    public bool Cors { get; set; } = true;

    public bool AllOn => Authentication && RateLimiting && SecurityHeaders && Cors;

    /// <summary>Reads the switches; a protection off outside the benchmark stops the gateway with the reason.</summary>
    public static GatewayProtections From(IConfiguration configuration, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(environment);
        var protections = configuration.GetSection(SectionName).Get<GatewayProtections>() ?? new();
        if (!protections.AllOn && !environment.IsEnvironment(BenchmarkEnvironment))
        {
            throw new InvalidOperationException(
                $"{SectionName} turns a protection off, which only the gateway benchmark may do (environment " +
                $"'{BenchmarkEnvironment}'); this gateway runs in '{environment.EnvironmentName}'. Remove the setting.");
        }

        return protections;
    }
}
