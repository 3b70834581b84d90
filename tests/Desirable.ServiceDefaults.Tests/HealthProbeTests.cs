using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Desirable.ServiceDefaults.Tests;

/// <summary>The probe a container's health check runs: 0 only when the service on this machine answers its /alive.</summary>
public sealed class HealthProbeTests
{
    [Fact]
    public async Task AServiceThatAnswersIsAlive()
    {
        await using var app = await StartAsync(alive: true);

        Assert.Equal(0, await HealthProbe.RunAsync(ports: PortOf(app)));
    }

    [Fact]
    public async Task AServiceWhoseLivenessFailsIsNot()
    {
        await using var app = await StartAsync(alive: false);

        Assert.Equal(1, await HealthProbe.RunAsync(ports: PortOf(app)));
    }

    [Fact]
    public async Task NothingListeningIsNotAlive()
    {
        string port;
        await using (var app = await StartAsync(alive: true))
        {
            port = PortOf(app);
        }

        Assert.Equal(1, await HealthProbe.RunAsync(TimeSpan.FromSeconds(2), port));
    }

    [Fact]
    public async Task ReadinessFailuresDoNotMakeAServiceDead()
    {
        // A task is replaced when its process stops answering, not when S3 is away.
        await using var app = await StartAsync(alive: true, ready: false);

        Assert.Equal(0, await HealthProbe.RunAsync(ports: PortOf(app)));
    }

    [Theory]
    [InlineData(new[] { "--probe-alive" }, true)]
    [InlineData(new string[0], false)]
    [InlineData(new[] { "--probe-alive", "extra" }, false)]
    [InlineData(new[] { "--urls", "--probe-alive" }, false)]
    public void OnlyTheProbeArgumentAloneAsksForAProbe(string[] args, bool requested) =>
        Assert.Equal(requested, HealthProbe.IsRequested(args));

    private static async Task<WebApplication> StartAsync(bool alive, bool ready = true)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => alive ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy(), ["live"])
            .AddCheck("storage", () => ready ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy());
        var app = builder.Build();
        app.MapDefaultEndpoints();
        await app.StartAsync(TestContext.Current.CancellationToken);
        return app;
    }

    private static string PortOf(WebApplication app) =>
        new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First()).Port
            .ToString(CultureInfo.InvariantCulture);
}
