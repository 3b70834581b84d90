using System.Globalization;
using System.Text;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Desirable.AppHost.Tests;

/// <summary>
/// What every resource was doing when a test AppHost failed to come up, with the last log lines of those that were
/// not healthy. Aspire's own exception names only the resource the test waited for, which is rarely the culprit:
/// a failed dependency marks everything that waits for it as failed too.
/// </summary>
internal static class StartupReport
{
    private const int LinesPerResource = 40;

    public static string Describe(DistributedApplication app, ResourceLogCapture logs)
    {
        var model = app.Services.GetRequiredService<DistributedApplicationModel>();
        var report = new StringBuilder();
        foreach (var resource in model.Resources)
        {
            app.ResourceNotifications.TryGetCurrentState(resource.Name, out var current);
            var snapshot = current?.Snapshot;
            report.AppendLine(
                CultureInfo.InvariantCulture,
                $"{resource.Name}: state {snapshot?.State?.Text ?? "none"}, health {snapshot?.HealthStatus?.ToString() ?? "none"}, exit code {snapshot?.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "none"}");
            if (snapshot?.HealthStatus == HealthStatus.Healthy)
            {
                continue;
            }

            foreach (var line in logs.LinesOf(resource.Name).TakeLast(LinesPerResource))
            {
                report.Append("    ").AppendLine(line);
            }
        }

        return report.ToString();
    }
}
