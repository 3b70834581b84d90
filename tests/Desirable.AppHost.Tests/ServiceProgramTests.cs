using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Desirable.Hosting;
using Microsoft.Extensions.Configuration;

namespace Desirable.AppHost.Tests;

/// <summary>
/// A local run starts each service as the program its build made, not through a <c>dotnet run</c> kept alive beside
/// it; an IDE's debug session, <c>dotnet watch</c> and a project the AppHost's build did not record keep Aspire's way.
/// </summary>
public sealed class ServiceProgramTests
{
    private static readonly System.Reflection.Assembly AppHost = typeof(Projects.Desirable_AppHost).Assembly;

    [Fact]
    public void TheAppHostsBuildRecordsEveryServicesProgram()
    {
        foreach (var project in new IProjectMetadata[]
        {
            new Projects.Desirable_MediaService(), new Projects.Desirable_MediaProcessor(), new Projects.Desirable_Gateway(),
            new Projects.Desirable_Web(), new Projects.Desirable_Identity(),
        })
        {
            var program = ServicePrograms.Find(AppHost, project.ProjectPath);

            Assert.NotNull(program);
            Assert.Equal(Path.GetFileNameWithoutExtension(project.ProjectPath) + (OperatingSystem.IsWindows() ? ".exe" : ""), Path.GetFileName(program));
            Assert.StartsWith(Path.GetDirectoryName(project.ProjectPath)!, program, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AServiceStartsAsItsProgramInItsProjectFolderWithTheRuntimeFound()
    {
        var project = Media();

        ServicePrograms.StartDirectly(project, AppHost, Configuration());

        var executable = Assert.Single(project.Annotations.OfType<ExecutableAnnotation>());
        Assert.Equal(ServicePrograms.Find(AppHost, new Projects.Desirable_MediaService().ProjectPath), executable.Command);
        Assert.Equal(Path.GetDirectoryName(new Projects.Desirable_MediaService().ProjectPath), executable.WorkingDirectory);
        var environment = await EnvironmentOfAsync(project);
        Assert.True(File.Exists(Path.Combine(environment["DOTNET_ROOT"], OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet")));
    }

    [Theory]
    [InlineData("DEBUG_SESSION_PORT", "localhost:51234")]
    [InlineData("DOTNET_WATCH", "true")]
    public void AnIdeOrDotnetWatchKeepsAspiresLaunch(string key, string value)
    {
        var project = Media();

        ServicePrograms.StartDirectly(project, AppHost, Configuration((key, value)));

        Assert.Empty(project.Annotations.OfType<ExecutableAnnotation>());
    }

    [Fact]
    public void AProjectTheBuildDidNotRecordKeepsAspiresLaunch()
    {
        var project = Media();

        // The hosting library's own assembly records no programs.
        ServicePrograms.StartDirectly(project, typeof(ServicePrograms).Assembly, Configuration());

        Assert.Empty(project.Annotations.OfType<ExecutableAnnotation>());
        Assert.Null(ServicePrograms.Find(AppHost, "/nowhere/Desirable.Unknown/Desirable.Unknown.csproj"));
    }

    private static ProjectResource Media()
    {
        var project = new ProjectResource("media");
        project.Annotations.Add(new Projects.Desirable_MediaService());
        return project;
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build();

    private static async Task<Dictionary<string, string>> EnvironmentOfAsync(ProjectResource resource)
    {
        var context = new EnvironmentCallbackContext(new DistributedApplicationExecutionContext(DistributedApplicationOperation.Run));
        foreach (var callback in resource.Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            await callback.Callback(context);
        }

        return context.EnvironmentVariables.ToDictionary(e => e.Key, e => e.Value.ToString()!);
    }
}
