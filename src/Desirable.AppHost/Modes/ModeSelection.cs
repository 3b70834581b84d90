using Aspire.Hosting.ApplicationModel;

namespace Desirable.AppHost.Modes;

/// <summary>
/// The mode the AppHost runs in and the reason it was chosen, shown in the dashboard; in containers mode also the
/// runtime that answered and the AWS emulator to run on it.
/// </summary>
public sealed record ModeSelection(DesirableMode Mode, string Reason, ContainerRuntime? Runtime = null, AwsEmulatorImage? Emulator = null)
{
    /// <summary>Configuration key that overrides detection: <c>auto</c> (default), <c>embedded</c>, <c>containers</c> or <c>aws</c>.</summary>
    public const string ConfigurationKey = "Desirable:Mode";

    /// <summary>Which emulator container stands in for AWS in containers mode: <c>floci</c> (default) or <c>localstack</c>.</summary>
    public const string AwsEmulatorKey = "Desirable:AwsEmulator";

    /// <summary>
    /// The one place that decides the mode. An explicit setting wins; otherwise containers mode is chosen when a
    /// container runtime can run containers, and embedded mode when none can, saying why. Throws
    /// <see cref="ModeSelectionException"/> with a sentence for the user when the request cannot be met.
    /// </summary>
    public static ModeSelection Decide(string? requested, string? emulator, Func<ContainerRuntimeReport> containerRuntimeProbe)
    {
        ArgumentNullException.ThrowIfNull(containerRuntimeProbe);
        switch (requested?.Trim().ToLowerInvariant())
        {
            case null or "" or "auto":
                var report = containerRuntimeProbe();
                return report.Usable is { } runtime
                    ? new(DesirableMode.Containers,
                        $"auto: {runtime.Description} answered (set {ConfigurationKey}=embedded to run without containers)", runtime, EmulatorOf(emulator))
                    : new(DesirableMode.Embedded, $"auto: no container runtime can run containers. {report.WhyNone}");
            case "embedded":
                return new(DesirableMode.Embedded, $"{ConfigurationKey}=embedded");
            case "aws":
                return new(DesirableMode.Aws, $"{ConfigurationKey}=aws");
            case "containers":
                var chosen = EmulatorOf(emulator);
                var probed = containerRuntimeProbe();
                return probed.Usable is { } usable
                    ? new(DesirableMode.Containers, $"{ConfigurationKey}=containers", usable, chosen)
                    : throw new ModeSelectionException(
                        $"Containers mode was asked for, but no container runtime can run containers. {probed.WhyNone} " +
                        $"Or run without containers: --{ConfigurationKey}=embedded.");
            default:
                throw new ModeSelectionException(
                    $"Unknown {ConfigurationKey} '{requested}'. Use 'auto', 'embedded', 'containers' or 'aws'.");
        }
    }

    private static AwsEmulatorImage EmulatorOf(string? requested) => requested?.Trim().ToLowerInvariant() switch
    {
        null or "" or "floci" => AwsEmulatorImage.Floci,
        "localstack" => AwsEmulatorImage.LocalStack,
        _ => throw new ModeSelectionException(
            $"Unknown {AwsEmulatorKey} '{requested}'. Use 'floci' (no account needed) or 'localstack' (needs an auth token)."),
    };
}

/// <summary>A mode that cannot run as asked; the message is the sentence the console shows.</summary>
public sealed class ModeSelectionException(string message) : Exception(message);
