using System.Diagnostics;
using System.Globalization;
using Desirable.Aws.CloudFormation;
using Desirable.Aws.Ecr;
using Desirable.Hosting.Tools;
using Desirable.Infrastructure;
using Microsoft.Extensions.Logging;

namespace Desirable.Hosting.Aws.Deployment;

/// <summary>The images a deployment builds and pushes when their digests are not given, for a stage, tagged <see cref="Tag"/>.</summary>
public sealed record StageImages(ServiceImages Builder, IReadOnlyList<ServiceImage> Images, StageName Stage, string Tag)
{
    public Task<IReadOnlyDictionary<string, string>> FindAsync(CancellationToken cancellationToken) => Builder.FindAsync(Images, Stage, Tag, cancellationToken);

    public Task<IReadOnlyDictionary<string, string>> PublishAsync(CancellationToken cancellationToken) => Builder.PublishAsync(Images, Stage, Tag, cancellationToken);
}

/// <summary>
/// A service the Api stack runs, the project its image is built from, and what its build needs besides (MSBuild
/// properties made only when the image is built: the processor's ffmpeg bundle).
/// </summary>
public sealed record ServiceImage(string Service, string ProjectPath, Func<CancellationToken, Task<IReadOnlyDictionary<string, string>>>? BuildProperties = null)
{
    /// <summary>The Api stack's parameter for this image's digest (<c>MediaImageDigest</c>).</summary>
    public string DigestParameter => $"{RegistryStack.Capitalized(Service)}ImageDigest";
}

/// <summary>
/// Builds each service's image with the .NET SDK's container support (no Docker: <c>dotnet publish
/// -t:PublishContainer</c>) and pushes it to the stage's ECR repository, logged in with a token from the same AWS
/// credentials, tagged with the commit; returns the digests the Api stack runs. An image already pushed for the same
/// tag is not built again (the repositories' tags are immutable).
/// </summary>
public sealed class ServiceImages(EcrClient ecr, ToolRunner run, ILogger logger)
{
    /// <summary>The digests of <paramref name="images"/> for <paramref name="tag"/> that are in the registry already.</summary>
    public async Task<IReadOnlyDictionary<string, string>> FindAsync(
        IReadOnlyList<ServiceImage> images, StageName stage, string tag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(images);
        var digests = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var image in images)
        {
            try
            {
                if (await ecr.FindDigestAsync(RegistryStack.RepositoryName(stage, image.Service), tag, cancellationToken) is { } digest)
                {
                    digests[image.DigestParameter] = digest;
                }
            }
            catch (EcrException e) when (e.Code == "RepositoryNotFoundException")
            {
                // The Registry stack is not deployed yet: nothing is pushed.
            }
        }

        return digests;
    }

    /// <summary>Builds and pushes what is not in the registry yet; returns every image's digest by its parameter.</summary>
    public async Task<IReadOnlyDictionary<string, string>> PublishAsync(
        IReadOnlyList<ServiceImage> images, StageName stage, string tag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(stage);
        var digests = new Dictionary<string, string>(await FindAsync(images, stage, tag, cancellationToken), StringComparer.Ordinal);
        var login = await ecr.GetLoginAsync(cancellationToken);
        foreach (var image in images.Where(i => !digests.ContainsKey(i.DigestParameter)))
        {
            var repository = RegistryStack.RepositoryName(stage, image.Service);
            logger.LogInformation("Building the {Service} image and pushing it to {Registry}/{Repository}:{Tag}.", image.Service, login.Registry, repository, tag);
            var properties = image.BuildProperties is null ? null : await image.BuildProperties(cancellationToken);
            var (exitCode, output) = await run(PublishCommand(image, login, repository, tag, properties), cancellationToken);
            if (exitCode != 0)
            {
                logger.LogError("dotnet publish of {Service} failed (exit code {ExitCode}):{NewLine}{Output}", image.Service, exitCode, Environment.NewLine, output);
                throw new StackDeploymentException(
                    $"Building or pushing the {image.Service} image failed (dotnet publish exited with {exitCode}); its output is in the log. " +
                    "It needs the base image's registry (mcr.microsoft.com) and the stage's ECR registry to be reachable.");
            }

            digests[image.DigestParameter] = await ecr.FindDigestAsync(repository, tag, cancellationToken)
                ?? throw new StackDeploymentException($"The {image.Service} image was built, but {repository}:{tag} is not in the registry.");
        }

        return digests;
    }

    /// <summary>
    /// The command that builds and pushes one image. The registry password goes in the environment variables the SDK's
    /// container tooling reads, never in the arguments (which a process list shows).
    /// </summary>
    public static ProcessStartInfo PublishCommand(ServiceImage image, RegistryLogin login, string repository, string tag, IReadOnlyDictionary<string, string>? properties = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(login);
        var command = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[]
        {
            "publish", image.ProjectPath,
            "--configuration", "Release",
            "--os", "linux", "--arch", "x64",
            "-t:PublishContainer",
            $"-p:ContainerRegistry={login.Registry}",
            $"-p:ContainerRepository={repository}",
            $"-p:ContainerImageTags={tag}",
            "-p:ContainerUser=app",
        })
        {
            command.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in properties ?? new Dictionary<string, string>())
        {
            command.ArgumentList.Add($"-p:{name}={value}");
        }

        command.Environment["DOTNET_CONTAINER_REGISTRY_UNAME"] = login.UserName;
        command.Environment["DOTNET_CONTAINER_REGISTRY_PWORD"] = login.Password;
        return command;
    }

    /// <summary>
    /// The images' tag: the commit, so a deployed task says which code it runs. Uncommitted changes get the time too,
    /// since a tag is pushed once and never moved.
    /// </summary>
    public static async Task<string> TagAsync(string repositoryDirectory, ToolRunner run, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(time);
        var (headExit, head) = await run(Git(repositoryDirectory, "rev-parse", "--short=12", "HEAD"), cancellationToken);
        if (headExit != 0)
        {
            throw new StackDeploymentException("The images are tagged with the commit, but git could not say which commit this is; deploy from a clone of the repository.");
        }

        var (_, changes) = await run(Git(repositoryDirectory, "status", "--porcelain"), cancellationToken);
        var commit = head.Trim();
        return changes.Trim().Length == 0
            ? commit
            : string.Create(CultureInfo.InvariantCulture, $"{commit}-dirty-{time.GetUtcNow():yyyyMMddHHmmss}");
    }

    private static ProcessStartInfo Git(string directory, params string[] arguments) => ToolProcess.Command("git", arguments, directory);
}
