using System.Diagnostics;

namespace Desirable.AppHost.Modes;

/// <summary>
/// The mode the AppHost runs in and the reason it was chosen, shown in the dashboard. <see cref="Warning"/> says
/// what will go wrong when the choice cannot work on this machine (containers asked for, no runtime answering).
/// </summary>
public sealed record ModeSelection(DesirableMode Mode, string Reason, string? Warning = null)
{
    /// <summary>Configuration key that overrides detection: <c>auto</c> (default), <c>embedded</c>, <c>containers</c> or <c>aws</c>.</summary>
    public const string ConfigurationKey = "Desirable:Mode";

    /// <summary>
    /// The one place that decides the mode. An explicit setting wins; otherwise containers mode is chosen when a
    /// container runtime answers, and embedded mode when none does.
    /// </summary>
    public static ModeSelection Decide(string? requested, Func<string?> containerRuntimeProbe)
    {
        ArgumentNullException.ThrowIfNull(containerRuntimeProbe);
        switch (requested?.Trim().ToLowerInvariant())
        {
            case null or "" or "auto":
                var runtime = containerRuntimeProbe();
                return runtime is null
                    ? new(DesirableMode.Embedded, $"auto: no container runtime answered (set {ConfigurationKey} to override)")
                    : new(DesirableMode.Containers, $"auto: {runtime} answered (set {ConfigurationKey}=embedded to run without containers)");
            case "embedded":
                return new(DesirableMode.Embedded, $"{ConfigurationKey}=embedded");
            case "aws":
                return new(DesirableMode.Aws, $"{ConfigurationKey}=aws");
            case "containers":
                // Asked for explicitly, so it is honoured; but Aspire would wait for a runtime without a word.
                return containerRuntimeProbe() is null
                    ? new(DesirableMode.Containers, $"{ConfigurationKey}=containers",
                        "Neither docker nor podman answered, so MongoDB and the AWS emulator cannot start. Start Docker, " +
                        $"or run without containers: --{ConfigurationKey}=embedded.")
                    : new(DesirableMode.Containers, $"{ConfigurationKey}=containers");
            default:
                throw new InvalidOperationException(
                    $"Unknown {ConfigurationKey} '{requested}'. Use 'auto', 'embedded', 'containers' or 'aws'.");
        }
    }

    /// <summary>Returns "docker" or "podman" when that runtime's engine answers within a few seconds, else null.</summary>
    public static string? ProbeContainerRuntime()
    {
        foreach (var runtime in new[] { "docker", "podman" })
        {
            try
            {
                using var process = Process.Start(new ProcessStartInfo(runtime, "info --format {{.ID}}")
                {
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                });
                if (process is null)
                {
                    continue;
                }

                if (!process.WaitForExit(TimeSpan.FromSeconds(5)))
                {
                    process.Kill(entireProcessTree: true);
                    continue;
                }

                if (process.ExitCode == 0)
                {
                    return runtime;
                }
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // Not installed.
            }
        }

        return null;
    }
}
