namespace Desirable.Hosting.Modes;

/// <summary>A container runtime that answered and can run the containers mode.</summary>
/// <param name="Name">What Aspire is told to use (<c>docker</c> or <c>podman</c>, its <c>ASPIRE_CONTAINER_RUNTIME</c>).</param>
/// <param name="Command">The command that answered: <c>docker</c> is Podman when it is the podman-docker shim.</param>
/// <param name="Description">What answered, for the dashboard: "Docker Engine - Community 27.3.1".</param>
public sealed record ContainerRuntime(string Name, string Command, string Description);

/// <summary>What one runtime command said when asked for its version.</summary>
/// <param name="Command">The command asked (<c>docker</c> or <c>podman</c>).</param>
/// <param name="Runtime">The runtime behind it, when it can run containers.</param>
/// <param name="Problem">Why it cannot, as a sentence a developer can act on.</param>
/// <param name="Details">The command's own error output, for the log only.</param>
/// <param name="ShortProblem">The problem in a few words, for the dashboard's state column: "the Docker daemon is not running".</param>
public sealed record ContainerRuntimeAnswer(string Command, ContainerRuntime? Runtime, string? Problem, string? Details = null, string? ShortProblem = null);

/// <summary>What the probe found: the runtime to use, if any, and every installed runtime's answer.</summary>
public sealed record ContainerRuntimeReport(ContainerRuntime? Usable, IReadOnlyList<ContainerRuntimeAnswer> Answers, TimeSpan Elapsed)
{
    public static ContainerRuntimeReport None { get; } = new(null, [], TimeSpan.Zero);

    /// <summary>Why no runtime can be used: the installed runtimes' problems, or that none is installed.</summary>
    public string WhyNone => Answers.Count == 0
        ? "Neither docker nor podman is installed."
        : string.Join(" ", Answers.Where(a => a.Problem is not null).Select(a => a.Problem));
}
