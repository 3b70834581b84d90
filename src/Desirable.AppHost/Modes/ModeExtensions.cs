using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Desirable.AppHost.Modes;

/// <summary>What each mode puts behind the two infrastructure seams the services use: AWS and the catalog.</summary>
public static class ModeExtensions
{
    public static ModeSelection SelectMode(this IDistributedApplicationBuilder builder)
    {
        var selection = ModeSelection.Decide(builder.Configuration[ModeSelection.ConfigurationKey], ModeSelection.ProbeContainerRuntime);

        // The dashboard shows the decision on a resource of its own, and the console says it at start.
        builder.AddResource(new ModeResource("mode"))
            .WithIconName("Settings")
            .ExcludeFromManifest()
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "Mode",
                State = new ResourceStateSnapshot(selection.Mode.ToString(), KnownResourceStateStyles.Info),
                Properties = [new("desirable.mode", selection.Mode.ToString()), new("desirable.mode.reason", selection.Reason)],
            })
            .OnInitializeResource((mode, e, _) =>
            {
                e.Logger.LogInformation("Desirable runs in {Mode} mode ({Reason}).", selection.Mode, selection.Reason);
                return Task.CompletedTask;
            });

        return selection;
    }

    public static IResourceBuilder<IAwsEmulatorResource> AddAws(
        this IDistributedApplicationBuilder builder, ModeSelection selection, string dataDirectory) => selection.Mode switch
        {
            DesirableMode.Embedded => builder.AddFauxqs("aws",
                emulatorDirectory: Path.Combine(builder.AppHostDirectory, "Emulator"),
                dataDirectory: Path.Combine(dataDirectory, "aws")),
            _ => throw new NotSupportedException($"No AWS resource for {selection.Mode} mode."),
        };

    public static IResourceBuilder<IResourceWithConnectionString> AddCatalog(
        this IDistributedApplicationBuilder builder, ModeSelection selection, string dataDirectory) => selection.Mode switch
        {
            DesirableMode.Embedded => builder.AddSqliteCatalog("catalog", Path.Combine(dataDirectory, "catalog", "catalog.db")),
            _ => throw new NotSupportedException($"No catalog for {selection.Mode} mode."),
        };

    /// <summary>Carries the mode decision into the dashboard.</summary>
    private sealed class ModeResource(string name) : Resource(name);
}
