using System.Collections.Concurrent;
using System.Diagnostics;
using Amazon.Runtime;
using Desirable.Aws.CloudFormation;
using Desirable.Aws.Ecr;
using Desirable.Aws.Query;
using Desirable.Hosting.Aws.Deployment;
using Desirable.Hosting.Tools;
using Desirable.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace Desirable.Hosting.Tests.Deployment;

/// <summary>
/// The services' images: the build command, which images are built, their digests. Building and pushing for real needs
/// mcr.microsoft.com (the base image) and an ECR registry, neither reachable here, so the build runs through a stand-in
/// that pushes into <see cref="FakeEcr"/>, a test double of ECR's endpoint; those tests say "Fake" in their names.
/// </summary>
public sealed class ServiceImagesTests : IAsyncLifetime
{
    private static readonly StageName Stage = StageName.Parse("alice");
    private static readonly ServiceImage Media = new("media", "/src/Desirable.MediaService/Desirable.MediaService.csproj");
    private static readonly ServiceImage Gateway = new("gateway", "/src/Desirable.Gateway/Desirable.Gateway.csproj");

    private FakeEcr _ecr = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _ecr = await FakeEcr.StartAsync();

    public async ValueTask DisposeAsync() => await _ecr.DisposeAsync();

    [Fact]
    public void TheBuildIsTheSdksContainerPublishToTheStagesRepositoryWithThePasswordOnlyInTheEnvironment()
    {
        var command = ServiceImages.PublishCommand(Media, new RegistryLogin("AWS", "s3cret", FakeEcr.Registry, DateTimeOffset.UtcNow), "desirable-alice/media", "0123abcd4567");

        Assert.Equal("dotnet", command.FileName);
        Assert.Equal(
        [
            "publish", Media.ProjectPath, "--configuration", "Release", "--os", "linux", "--arch", "x64", "-t:PublishContainer",
            $"-p:ContainerRegistry={FakeEcr.Registry}", "-p:ContainerRepository=desirable-alice/media", "-p:ContainerImageTags=0123abcd4567",
            "-p:ContainerUser=app",
        ], command.ArgumentList);
        Assert.Equal("AWS", command.Environment["DOTNET_CONTAINER_REGISTRY_UNAME"]);
        Assert.Equal("s3cret", command.Environment["DOTNET_CONTAINER_REGISTRY_PWORD"]);
        Assert.DoesNotContain(command.ArgumentList, a => a.Contains("s3cret", StringComparison.Ordinal));
        Assert.Equal("MediaImageDigest", Media.DigestParameter);
    }

    [Fact]
    public async Task FakeOnlyImagesNotPushedForTheTagAreBuiltAndEveryDigestComesFromTheRegistry()
    {
        var builds = new ConcurrentQueue<ProcessStartInfo>();
        _ecr.AddRepository("desirable-alice/media");
        _ecr.AddRepository("desirable-alice/gateway");
        _ecr.Push("desirable-alice/gateway", "t1", Digest('g'));

        var digests = await Images(StandInPush(builds, Digest('m'), _ecr)).PublishAsync([Media, Gateway], Stage, "t1", Ct);

        Assert.Equal(new Dictionary<string, string> { ["GatewayImageDigest"] = Digest('g'), ["MediaImageDigest"] = Digest('m') }, digests);
        var build = Assert.Single(builds);
        Assert.Contains("-p:ContainerRepository=desirable-alice/media", build.ArgumentList);
        Assert.Equal(FakeEcr.Password, build.Environment["DOTNET_CONTAINER_REGISTRY_PWORD"]);
    }

    [Fact]
    public async Task FakeWhatAnImageNeedsBesidesIsMadeOnlyWhenItIsBuiltAndReachesTheBuild()
    {
        var builds = new ConcurrentQueue<ProcessStartInfo>();
        var made = new List<string>();
        _ecr.AddRepository("desirable-alice/processor");
        _ecr.AddRepository("desirable-alice/gateway");
        _ecr.Push("desirable-alice/gateway", "t1", Digest('g'));
        ServiceImage WithBundle(string service) => new(service, $"/src/{service}.csproj", _ =>
        {
            made.Add(service);
            return Task.FromResult<IReadOnlyDictionary<string, string>>(new Dictionary<string, string> { ["DesirableFfmpegBundle"] = "/cache/ffmpeg-1" });
        });

        await Images(StandInPush(builds, Digest('p'), _ecr)).PublishAsync([WithBundle("processor"), WithBundle("gateway")], Stage, "t1", Ct);

        // The gateway's image was in the registry already: nothing was made for it.
        Assert.Equal(["processor"], made);
        Assert.Contains("-p:DesirableFfmpegBundle=/cache/ffmpeg-1", Assert.Single(builds).ArgumentList);
    }

    [Fact]
    public async Task FakeAFailedBuildStopsWithAPlainReasonAndKeepsTheToolsOutputForTheLog()
    {
        _ecr.AddRepository("desirable-alice/media");
        var images = Images((_, _) => Task.FromResult((1, "/root/.nuget/... error CONTAINER1013: Failed to push to the output registry")));

        var failure = await Assert.ThrowsAsync<StackDeploymentException>(() => images.PublishAsync([Media], Stage, "t1", Ct));

        Assert.StartsWith("Building or pushing the media image failed (dotnet publish exited with 1)", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("CONTAINER1013", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FakeBeforeTheRegistryExistsNothingIsFoundAndNothingFails()
    {
        Assert.Empty(await Images(StandInPush(new(), Digest('m'), _ecr)).FindAsync([Media, Gateway], Stage, "t1", Ct));
    }

    [Fact]
    public async Task TheTagIsTheCommitAndUncommittedChangesAddTheTime()
    {
        var repository = Directory.CreateTempSubdirectory("desirable-tag-").FullName;
        try
        {
            await Git(repository, "init", "-q");
            await File.WriteAllTextAsync(Path.Combine(repository, "a.txt"), "a", Ct);
            await Git(repository, "add", ".");
            await Git(repository, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "a");
            var commit = (await ToolProcess.RunAsync(GitCommand(repository, "rev-parse", "--short=12", "HEAD"), Ct)).Output.Trim();
            var time = new FixedTime(new DateTimeOffset(2026, 12, 3, 7, 30, 0, TimeSpan.Zero));

            Assert.Equal(commit, await ServiceImages.TagAsync(repository, ToolProcess.RunAsync, time, Ct));
            await File.WriteAllTextAsync(Path.Combine(repository, "a.txt"), "b", Ct);
            Assert.Equal($"{commit}-dirty-20261203073000", await ServiceImages.TagAsync(repository, ToolProcess.RunAsync, time, Ct));
        }
        finally
        {
            Directory.Delete(repository, recursive: true);
        }
    }

    [Fact]
    public async Task OutsideARepositoryTheTagIsRefusedWithAReason()
    {
        var directory = Directory.CreateTempSubdirectory("desirable-notag-").FullName;
        var failure = await Assert.ThrowsAsync<StackDeploymentException>(() =>
            ServiceImages.TagAsync(directory, ToolProcess.RunAsync, TimeProvider.System, Ct));
        Assert.Contains("deploy from a clone of the repository", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARealBuildPushesTheMediaImageToARealRegistry()
    {
        // Needs mcr.microsoft.com and an AWS account's ECR: DESIRABLE_ECR_STAGE names a deployed stage whose Registry
        // stack exists, with AWS credentials in the environment. Neither registry is reachable on this machine.
        var stage = Environment.GetEnvironmentVariable("DESIRABLE_ECR_STAGE");
        Assert.SkipWhen(stage is null,
            "Building an image pulls the base image from mcr.microsoft.com and pushes to ECR; neither is reachable here. Set DESIRABLE_ECR_STAGE (and AWS credentials) to run it.");
        var images = new ServiceImages(new EcrClient(new HttpClient()), ToolProcess.RunAsync, NullLogger.Instance);
        var media = new ServiceImage("media", Path.Combine(RepositoryPaths.Root, "src", "Desirable.MediaService", "Desirable.MediaService.csproj"));
        var digests = await images.PublishAsync([media], StageName.Parse(stage!), $"test-{DateTime.UtcNow:yyyyMMddHHmmss}", Ct);
        Assert.StartsWith("sha256:", digests["MediaImageDigest"], StringComparison.Ordinal);
    }

    /// <summary>Stands in for dotnet publish: the image "pushed" is the given digest under the command's repository and tag.</summary>
    internal static ToolRunner StandInPush(ConcurrentQueue<ProcessStartInfo> builds, string digest, FakeEcr? ecr = null) => (command, _) =>
    {
        builds.Enqueue(command);
        var repository = command.ArgumentList.Single(a => a.StartsWith("-p:ContainerRepository=", StringComparison.Ordinal)).Split('=')[1];
        var tag = command.ArgumentList.Single(a => a.StartsWith("-p:ContainerImageTags=", StringComparison.Ordinal)).Split('=')[1];
        ecr?.AddRepository(repository);
        ecr?.Push(repository, tag, digest);
        return Task.FromResult((0, "pushed"));
    };

    internal static string Digest(char c) => "sha256:" + new string(c, 64);

    private ServiceImages Images(ToolRunner run) => new(Ecr(_ecr), run, NullLogger.Instance);

    internal static EcrClient Ecr(FakeEcr fake) => new(new HttpClient(), new AwsQueryClientOptions
    {
        ServiceUrl = fake.Url,
        Region = "us-east-1",
        Credentials = new BasicAWSCredentials("AKIDEXAMPLE", "secret"),
    });

    private static async Task Git(string directory, params string[] arguments) =>
        Assert.Equal(0, (await ToolProcess.RunAsync(GitCommand(directory, arguments), Ct)).ExitCode);

    private static ProcessStartInfo GitCommand(string directory, params string[] arguments)
    {
        var command = new ProcessStartInfo("git") { WorkingDirectory = directory };
        foreach (var argument in arguments)
        {
            command.ArgumentList.Add(argument);
        }

        return command;
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
