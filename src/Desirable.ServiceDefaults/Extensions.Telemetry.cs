using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

public static partial class Extensions
{
    /// <summary>
    /// Traces, metrics and logs go to the OTLP endpoint the AppHost injects (the Aspire dashboard), or in AWS the
    /// collector beside the service (logs only when <c>OTEL_LOGS_EXPORTER</c> is not <c>none</c>); without
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> the data is collected but not exported.
    /// </summary>
    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(DesirableMeterPrefix))
            .WithTracing(tracing => tracing
                .AddSource(builder.Environment.ApplicationName)
                .AddSource(DesirableActivitySourcePrefix)
                // Health probes every few seconds would drown the real traffic in the dashboard.
                .AddAspNetCoreInstrumentation(aspNetCore => aspNetCore.Filter = context =>
                    !context.Request.Path.StartsWithSegments(HealthEndpointPath) &&
                    !context.Request.Path.StartsWithSegments(AlivenessEndpointPath))
                .AddHttpClientInstrumentation());

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            if (string.Equals(builder.Configuration["OTEL_LOGS_EXPORTER"], "none", StringComparison.OrdinalIgnoreCase))
            {
                // The specification's switch for "logs go elsewhere": in AWS the console log reaches CloudWatch Logs,
                // and the collector beside the service takes only traces and metrics.
                builder.Services.AddOpenTelemetry()
                    .WithMetrics(metrics => metrics.AddOtlpExporter())
                    .WithTracing(tracing => tracing.AddOtlpExporter());
            }
            else
            {
                builder.Services.AddOpenTelemetry().UseOtlpExporter();
            }
        }

        return builder;
    }

    /// <summary>Meters and activity sources named <c>Desirable.*</c> are exported without further registration.</summary>
    public const string DesirableMeterPrefix = "Desirable.*";

    private const string DesirableActivitySourcePrefix = "Desirable.*";
}
