using Aspire.Hosting.ApplicationModel;

namespace Desirable.Hosting.Modes;

/// <summary>
/// The mode the AppHost runs in and the reason it was chosen, shown in the dashboard; in containers mode also the
/// runtime that answered and the AWS emulator to run on it.
/// </summary>
public sealed record ModeSelection(
    DesirableMode Mode, string Reason, ContainerRuntime? Runtime = null, AwsEmulatorImage? Emulator = null, string? ContainerRegistry = null)
{
    /// <summary>Configuration key that overrides detection: <c>auto</c> (default), <c>embedded</c>, <c>containers</c> or <c>aws</c>.</summary>
    public const string ConfigurationKey = "Desirable:Mode";

    /// <summary>Which emulator container stands in for AWS in containers mode: <c>floci</c> (default) or <c>localstack</c>.</summary>
    public const string AwsEmulatorKey = "Desirable:AwsEmulator";

    /// <summary>
    /// The registry the containers mode pulls its images through instead of Docker Hub (a corporate mirror):
    /// a host, a port and a path, such as <c>mirror.example.com/dockerhub</c>.
    /// </summary>
    public const string ContainerRegistryKey = "Desirable:ContainerRegistry";

    /// <summary>
    /// The one place that decides the mode. An explicit setting wins; otherwise containers mode is chosen when a
    /// container runtime can run containers, and embedded mode when none can, saying why. Throws
    /// <see cref="ModeSelectionException"/> with a sentence for the user when the request cannot be met.
    /// </summary>
    public static ModeSelection Decide(string? requested, string? emulator, Func<ContainerRuntimeReport> containerRuntimeProbe, string? registry = null)
    {
        ArgumentNullException.ThrowIfNull(containerRuntimeProbe);
        switch (requested?.Trim().ToLowerInvariant())
        {
            case null or "" or "auto":
                var report = containerRuntimeProbe();
                return report.Usable is { } runtime
                    ? new(DesirableMode.Containers,
                        $"auto: {runtime.Description} answered (set {ConfigurationKey}=embedded to run without containers)", runtime, EmulatorOf(emulator),
                        RegistryOf(registry))
                    : new(DesirableMode.Embedded, $"auto: no container runtime can run containers. {report.WhyNone}");
            case "embedded":
                return new(DesirableMode.Embedded, $"{ConfigurationKey}=embedded");
            case "aws":
                return new(DesirableMode.Aws, $"{ConfigurationKey}=aws");
            case "containers":
                var chosen = EmulatorOf(emulator);
                var mirror = RegistryOf(registry);
                var probed = containerRuntimeProbe();
                return probed.Usable is { } usable
                    ? new(DesirableMode.Containers, $"{ConfigurationKey}=containers", usable, chosen, mirror)
                    : throw new ModeSelectionException(
                        $"Containers mode was asked for, but no container runtime can run containers. {probed.WhyNone} " +
                        $"Or run without containers: --{ConfigurationKey}=embedded.");
            default:
                throw new ModeSelectionException(
                    $"Unknown {ConfigurationKey} '{requested}'. Use 'auto', 'embedded', 'containers' or 'aws'.");
        }
    }

    private static string? RegistryOf(string? requested)
    {
        var registry = requested?.Trim().TrimEnd('/');
        if (string.IsNullOrEmpty(registry))
        {
            return null;
        }

        // The runtime takes a registry as an image name's first part: no scheme, no spaces, no tag.
        if (registry.Contains("://", StringComparison.Ordinal) || registry.Any(char.IsWhiteSpace) || registry.Contains('@', StringComparison.Ordinal))
        {
            throw new ModeSelectionException(
                $"{ContainerRegistryKey} '{requested}' is not a registry: give its host and optional port and path, such as " +
                "'mirror.example.com' or 'mirror.example.com:5000/dockerhub', without https://.");
        }

        return registry;
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
