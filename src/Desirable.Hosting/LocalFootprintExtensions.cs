using Aspire.Hosting.ApplicationModel;
using Desirable.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Aspire.Hosting;

/// <summary>
/// Keeps the whole app light while a developer runs it locally (measured by bench/Desirable.FootprintBench). Each
/// setting is one that Aspire's development defaults or the SDK chose for a single service on a big machine; six of
/// them idle on a laptop cost more than the app's work.
/// </summary>
public static class LocalFootprintExtensions
{
    /// <summary>
    /// How often services export metrics to the dashboard. Aspire sets 1 s in development, so every service collects
    /// and sends every instrument (the runtime's included) each second: most of what an idle service did. Traces and
    /// logs keep Aspire's 1 s batches; they cost nothing when nothing happens.
    /// </summary>
    public static readonly TimeSpan MetricExportInterval = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Applies the local settings to every project the AppHost runs (not to a publish): each starts as its built
    /// program, exports metrics every 10 s, with workstation GC and without profile-guided recompilation; and DCP
    /// runs without a monitor process per resource (Linux).
    /// </summary>
    public static IDistributedApplicationBuilder WithLocalFootprint(this IDistributedApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (!builder.ExecutionContext.IsRunMode)
        {
            return builder;
        }

        // One watch in the AppHost instead of a `dcp monitor-process` beside every process DCP runs (why in
        // OrchestratorWatch). DCP inherits the AppHost's environment; a value the developer set stays.
        if (OperatingSystem.IsLinux())
        {
            var disableMonitors = Environment.GetEnvironmentVariable(OrchestratorWatch.DisableMonitorsVariable) ?? "true";
            Environment.SetEnvironmentVariable(OrchestratorWatch.DisableMonitorsVariable, disableMonitors);
            if (string.Equals(disableMonitors, "true", StringComparison.OrdinalIgnoreCase))
            {
                builder.Services.AddHostedService<OrchestratorWatch>();
            }
        }

        builder.Eventing.Subscribe<BeforeStartEvent>((e, _) =>
        {
            foreach (var project in e.Model.Resources.OfType<ProjectResource>())
            {
                // The built program itself, without a `dotnet run` kept alive beside each service.
                ServicePrograms.StartDirectly(project, builder.AppHostAssembly, builder.Configuration);
                // Added last, so it runs after Aspire's OTLP callback and its value wins.
                project.Annotations.Add(new EnvironmentCallbackAnnotation(context =>
                {
                    context.EnvironmentVariables["OTEL_METRIC_EXPORT_INTERVAL"] =
                        ((long)MetricExportInterval.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
                    // Workstation GC: the Web SDK's server GC keeps a heap per core in every service; here six services
                    // share the cores.
                    context.EnvironmentVariables["DOTNET_gcServer"] = "0";
                    // No profile-guided second compilation: an idle service calls the AWS SDK's code only every few
                    // seconds (health checks, long polls), so its methods cross the tiering thresholds for minutes,
                    // each compiled three times; the processor spent 0.9% of a core on it 100 s after start.
                    context.EnvironmentVariables["DOTNET_TieredPGO"] = "0";
                }));
            }

            return Task.CompletedTask;
        });
        return builder;
    }
}
