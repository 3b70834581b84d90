using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

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
        builder.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning).AddFilter("Desirable.AppHost.Resources", LogLevel.None));
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
