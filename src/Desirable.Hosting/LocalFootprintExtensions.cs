using Aspire.Hosting.ApplicationModel;

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

    /// <summary>Applies the local settings to every project the AppHost runs (not to a publish).</summary>
    public static IDistributedApplicationBuilder WithLocalFootprint(this IDistributedApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (!builder.ExecutionContext.IsRunMode)
        {
            return builder;
        }

        builder.Eventing.Subscribe<BeforeStartEvent>((e, _) =>
        {
            foreach (var project in e.Model.Resources.OfType<ProjectResource>())
            {
                // Added last, so it runs after Aspire's OTLP callback and its value wins.
                project.Annotations.Add(new EnvironmentCallbackAnnotation(context =>
                {
                    context.EnvironmentVariables["OTEL_METRIC_EXPORT_INTERVAL"] =
                        ((long)MetricExportInterval.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
                    // Workstation GC: the Web SDK's server GC keeps a heap per core in every service; here six services
                    // share the cores, and the `dotnet run` each is wrapped in reads the same variable.
                    context.EnvironmentVariables["DOTNET_gcServer"] = "0";
                }));
            }

            return Task.CompletedTask;
        });
        return builder;
    }
}
