using System.Reflection;
using System.Runtime.InteropServices;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;

namespace Desirable.Hosting;

/// <summary>
/// The programs the services' builds made, so a local run starts each one directly. Aspire 13 starts a project as
/// <c>dotnet run --no-build</c>, and that SDK process stays alive beside the service for as long as it runs: ~60 MB of
/// memory per service that does nothing (bench/Desirable.FootprintBench). The AppHost's build records where each
/// referenced project put its program (<c>RecordServicePrograms</c> in Desirable.AppHost.csproj); this reads it.
/// </summary>
internal static class ServicePrograms
{
    /// <summary>The key of the AppHost assembly's metadata: <c>{project path}|{target path}</c>.</summary>
    public const string MetadataKey = "Desirable.ServiceProgram";

    /// <summary>
    /// Starts <paramref name="project"/> as its built program when the AppHost knows it and nothing needs
    /// <c>dotnet</c> to start it: an IDE's debug session and <c>dotnet watch</c> launch projects their own way, and a
    /// project without its own program (<c>UseAppHost=false</c>) keeps Aspire's default.
    /// </summary>
    public static void StartDirectly(ProjectResource project, Assembly? appHost, IConfiguration configuration)
    {
        if (!string.IsNullOrEmpty(configuration["DEBUG_SESSION_PORT"]) ||
            string.Equals(configuration["DOTNET_WATCH"], "true", StringComparison.OrdinalIgnoreCase) ||
            project.HasAnnotationOfType<ExecutableAnnotation>() ||
            !project.TryGetLastAnnotation<IProjectMetadata>(out var metadata) ||
            Find(appHost, metadata.ProjectPath) is not { } program ||
            DotnetRoot() is not { } dotnetRoot)
        {
            return;
        }

        project.Annotations.Add(new ExecutableAnnotation
        {
            Command = program,
            // Where `dotnet run` runs it: the project's folder is its content root, as before.
            WorkingDirectory = Path.GetDirectoryName(metadata.ProjectPath)!,
        });
        // `dotnet run` tells a program where the runtime is; started directly, it needs the same, or a runtime
        // installed outside the default place (~/.dotnet) is not found. The AppHost runs on the SDK's own runtime.
        project.Annotations.Add(new EnvironmentCallbackAnnotation(context =>
            context.EnvironmentVariables.TryAdd("DOTNET_ROOT", dotnetRoot)));
    }

    /// <summary>The built program of the project at <paramref name="projectPath"/>, if the AppHost's build recorded one that exists.</summary>
    public static string? Find(Assembly? appHost, string projectPath)
    {
        var wanted = Path.GetFullPath(projectPath);
        foreach (var entry in appHost?.GetCustomAttributes<AssemblyMetadataAttribute>() ?? [])
        {
            if (entry.Key != MetadataKey || entry.Value?.Split('|') is not [var project, var targetPath] ||
                !string.Equals(Path.GetFullPath(project), wanted, StringComparison.Ordinal))
            {
                continue;
            }

            // The target path is the assembly; the SDK writes the program that starts it beside it.
            var program = Path.ChangeExtension(targetPath, OperatingSystem.IsWindows() ? ".exe" : null);
            return File.Exists(program) ? program : null;
        }

        return null;
    }

    /// <summary>The folder of the .NET installation this process runs on (three levels above the runtime's own folder).</summary>
    public static string? DotnetRoot()
    {
        var root = new DirectoryInfo(RuntimeEnvironment.GetRuntimeDirectory()).Parent?.Parent?.Parent?.FullName;
        var host = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        return root is not null && File.Exists(Path.Combine(root, host)) ? root : null;
    }
}
