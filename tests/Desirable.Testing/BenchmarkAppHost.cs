using Aspire.Hosting;
using Aspire.Hosting.Testing;

namespace Desirable.Testing;

/// <summary>The AppHost as the benchmarks boot it: embedded mode on a data folder of theirs, no dashboard, warnings only.</summary>
public static class BenchmarkAppHost
{
    /// <summary>The AppHost <typeparamref name="TAppHost"/>'s model, built but not started, for a benchmark to adjust.</summary>
    public static async Task<IDistributedApplicationTestingBuilder> CreateEmbeddedAsync<TAppHost>(string dataDirectory)
        where TAppHost : class
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<TAppHost>(
            ["--Desirable:Mode=embedded", $"--Desirable:DataDirectory={dataDirectory}"],
            (options, _) => options.DisableDashboard = true);
        // As configuration, because the AppHost's appsettings.json (Logging:LogLevel:Default) outranks a minimum level;
        // health checks failing while the resources start are the start, not news.
        builder.Configuration["Logging:LogLevel:Default"] = "Warning";
        builder.Configuration["Logging:LogLevel:Microsoft.Extensions.Diagnostics.HealthChecks"] = "None";
        builder.Configuration["Logging:LogLevel:Desirable.AppHost.Resources"] = "None";
        return builder;
    }

    /// <summary>Leaves the processor out, for a benchmark that measures the API alone.</summary>
    public static IDistributedApplicationTestingBuilder WithoutProcessor(this IDistributedApplicationTestingBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Resources.Remove(builder.Resources.Single(r => r.Name == "processor"));
        return builder;
    }
}
