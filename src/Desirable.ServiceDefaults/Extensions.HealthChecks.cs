using Desirable.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.Hosting;

public static partial class Extensions
{
    /// <summary>Readiness: every registered check must pass.</summary>
    public const string HealthEndpointPath = HealthPaths.Health;

    /// <summary>Liveness: only the checks tagged <c>live</c>.</summary>
    public const string AlivenessEndpointPath = HealthPaths.Alive;

    private const string LiveTag = "live";

    /// <summary>Adds a liveness check that only says the process answers.</summary>
    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);

        return builder;
    }

    /// <summary>
    /// Maps <c>/health</c> and <c>/alive</c>. They are mapped in every environment because the AppHost's
    /// health checks and the gateway rely on them; they expose check names and states, nothing else.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks(HealthEndpointPath);
        app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(LiveTag),
        });

        return app;
    }
}
