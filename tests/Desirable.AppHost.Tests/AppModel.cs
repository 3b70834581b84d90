using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace Desirable.AppHost.Tests;

/// <summary>Builds the AppHost's model for a mode without starting anything, and reads it back.</summary>
internal static class AppModel
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// The mode probe searches this PATH (a stand-in docker whose engine answers), so containers mode builds here,
    /// where no runtime exists, and on a developer's machine whatever their Docker is doing.
    /// </summary>
    private static readonly Lazy<string> HealthyDocker = new(() => StandInRuntimes.Create(StandInRuntimes.Behaviour.DockerHealthy));

    public static Task<IDistributedApplicationTestingBuilder> CreateBuilderAsync(string mode, params string[] args) =>
        DistributedApplicationTestingBuilder.CreateAsync<Projects.Desirable_AppHost>([$"--Desirable:Mode={mode}", $"--PATH={HealthyDocker.Value}", .. args], Ct);

    public static IResource Resource(IDistributedApplicationTestingBuilder builder, string name) =>
        builder.Resources.Single(r => r.Name == name);

    // Publish mode renders references as manifest expressions ("{aws.bindings.http.url}"), which is what the
    // model says without starting anything. The successor API needs a full execution context for the same answer.
#pragma warning disable CS0618
    public static async Task<Dictionary<string, string>> EnvironmentOf(IResource resource) =>
        new(await ((IResourceWithEnvironment)resource).GetEnvironmentVariableValuesAsync(DistributedApplicationOperation.Publish));
#pragma warning restore CS0618

    public static string[] WaitsOf(IResource resource) =>
        [.. resource.Annotations.OfType<WaitAnnotation>().Select(w => w.Resource.Name).Order(StringComparer.Ordinal)];
}
