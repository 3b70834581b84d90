namespace Desirable.Contracts;

/// <summary>The health endpoints every service maps, the AppHost probes and the gateway keeps out of its rate limits.</summary>
public static class HealthPaths
{
    /// <summary>Ready: the service and what it needs answer.</summary>
    public const string Health = "/health";

    /// <summary>Alive: the process answers (liveness only).</summary>
    public const string Alive = "/alive";

    /// <summary>
    /// The argument that makes a service's executable ask its own <see cref="Alive"/> and exit (0: alive): a container
    /// health check in AWS, whose images carry no curl.
    /// </summary>
    public const string AliveProbeArgument = "--probe-alive";
}
