using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Desirable.Aws.CloudFormation;
using Desirable.Hosting.Aws.Deployment.Ffmpeg;
using Microsoft.Extensions.Logging.Abstractions;

namespace Desirable.Hosting.Tests.Deployment;

/// <summary>
/// The processor image's ffmpeg, built from Debian's packages. The real build downloads them from deb.debian.org,
/// which this machine reaches; the bad inputs (a changed package, a version Debian replaced, a manifest that names a
/// missing file) go to <see cref="FakeDebianArchive"/>, a test double of Debian's archives, in the tests named "Fake".
/// </summary>
public sealed class FfmpegBundleTests : IAsyncLifetime
{
    private FakeDebianArchive _archive = null!;
    private readonly string _cache = Directory.CreateTempSubdirectory("desirable-ffmpeg-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _archive = await FakeDebianArchive.StartAsync();

    public async ValueTask DisposeAsync()
    {
        await _archive.DisposeAsync();
        Directory.Delete(_cache, recursive: true);
    }

    [Fact]
    public void TheManifestPinsEveryPackageAndHoldsTheToolsAndTheLoader()
    {
        var manifest = FfmpegBundle.Manifest;

        Assert.StartsWith("7:5.1.", manifest.Ffmpeg, StringComparison.Ordinal);
        Assert.Matches("^[0-9]{8}T[0-9]{6}Z$", manifest.Snapshot);
        Assert.All(manifest.Packages, p => Assert.Matches("^[0-9a-f]{64}$", p.Sha256));
        Assert.All(manifest.Packages, p => Assert.Matches("^debian(-security)?$", p.Archive));
        Assert.All(manifest.Files, f => Assert.Contains(manifest.Packages, p => p.Name == f.Package));
        Assert.Equal(manifest.Files.Count, manifest.Files.Select(f => f.Name).Distinct().Count());
        foreach (var name in new[] { "bin/ffmpeg", "bin/ffprobe", $"lib/{FfmpegBundle.FfmpegLoader}", "lib/libavcodec.so.59", "lib/libc.so.6" })
        {
            Assert.Contains(manifest.Files, f => f.Name == name);
        }
    }

    [Fact]
    public async Task TheRealBundleFromDebianRunsItsToolsWithItsOwnLibrariesOnly()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux() && RuntimeInformationIsX64(), "The bundle's programs run on Linux x64 only.");
        // Kept between runs, as a deployment keeps it: the 95 MiB are downloaded once per manifest.
        var cache = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "desirable-tests", "ffmpeg");
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };

        var bundle = await new FfmpegBundle(http, FfmpegBundle.Sources.Debian, NullLogger.Instance).EnsureAsync(FfmpegBundle.Manifest, cache, Ct);

        var loader = Path.Combine(bundle, "lib", FfmpegBundle.FfmpegLoader);
        var libraries = Path.Combine(bundle, "lib");
        // Every library the tools load resolves inside the bundle, whatever the machine has.
        foreach (var tool in new[] { "ffmpeg", "ffprobe" })
        {
            var (listed, resolved) = await RunAsync(loader, "--library-path", libraries, "--list", Path.Combine(bundle, "bin", tool));
            Assert.Equal(0, listed);
            var paths = resolved.Split('\n').Where(l => l.Contains(" => ", StringComparison.Ordinal)).Select(l => l.Split(" => ")[1].Split(' ')[0]).ToList();
            Assert.NotEmpty(paths);
            Assert.All(paths, path => Assert.StartsWith(libraries + "/", path, StringComparison.Ordinal));
        }

        var (exitCode, version) = await RunAsync(loader, "--library-path", libraries, Path.Combine(bundle, "bin", "ffmpeg"), "-version");
        Assert.Equal(0, exitCode);
        Assert.Contains("ffmpeg version 5.1.", version, StringComparison.Ordinal);

        // And it reads a video (the deployment's processor asks ffprobe first).
        var (made, video) = (0, Path.Combine(_cache, "clip.mp4"));
        (made, _) = await RunAsync(loader, "--library-path", libraries, Path.Combine(bundle, "bin", "ffmpeg"),
            "-v", "error", "-f", "lavfi", "-i", "testsrc=duration=1:size=160x120:rate=10", "-c:v", "libx264", "-pix_fmt", "yuv420p", video);
        Assert.Equal(0, made);
        var (probed, streams) = await RunAsync(loader, "--library-path", libraries, Path.Combine(bundle, "bin", "ffprobe"),
            "-v", "error", "-show_entries", "stream=width,height", "-of", "csv=p=0", video);
        Assert.Equal(0, probed);
        Assert.Equal("160,120", streams.Trim());
    }

    [Fact]
    public async Task FakeABundleIsBuiltOnceFromPinnedPackagesAndAVersionDebianReplacedComesFromTheSnapshot()
    {
        var (manifest, _) = Manifest(("libfoo1", "debian", new Dictionary<string, byte[]> { ["usr/lib/x86_64-linux-gnu/libfoo.so.1.2"] = "foo"u8.ToArray() }),
            ("ffmpeg", "debian-security", new Dictionary<string, byte[]> { ["usr/bin/ffmpeg"] = "ffmpeg"u8.ToArray() }),
            [("lib/libfoo.so.1", "libfoo1", "usr/lib/x86_64-linux-gnu/libfoo.so.1.2"), ("bin/ffmpeg", "ffmpeg", "usr/bin/ffmpeg")]);
        // libfoo1 is still on the mirror; Debian has replaced ffmpeg's version, which only the snapshot keeps.
        _archive.Files.Remove($"mirror/debian-security/pool/ffmpeg.deb");

        var bundle = await Bundle().EnsureAsync(manifest, _cache, Ct);
        var requests = _archive.Requests;
        var again = await Bundle().EnsureAsync(manifest, _cache, Ct);

        Assert.Equal("foo", await File.ReadAllTextAsync(Path.Combine(bundle, "lib", "libfoo.so.1"), Ct));
        Assert.Equal("ffmpeg", await File.ReadAllTextAsync(Path.Combine(bundle, "bin", "ffmpeg"), Ct));
        Assert.Equal(bundle, again);
        Assert.Equal(requests, _archive.Requests);
        if (!OperatingSystem.IsWindows())
        {
            Assert.True(File.GetUnixFileMode(Path.Combine(bundle, "bin", "ffmpeg")).HasFlag(UnixFileMode.UserExecute));
        }
    }

    [Fact]
    public async Task FakeAPackageThatIsNotThePinnedOneIsRefusedAndNothingIsKept()
    {
        var (manifest, _) = Manifest(("ffmpeg", "debian", new Dictionary<string, byte[]> { ["usr/bin/ffmpeg"] = "ffmpeg"u8.ToArray() }), null,
            [("bin/ffmpeg", "ffmpeg", "usr/bin/ffmpeg")]);
        _archive.Files["mirror/debian/pool/ffmpeg.deb"] = FakeDebianArchive.Deb(new Dictionary<string, byte[]> { ["usr/bin/ffmpeg"] = "evil!!"u8.ToArray() });

        var failure = await Assert.ThrowsAsync<StackDeploymentException>(() => Bundle().EnsureAsync(manifest, _cache, Ct));

        Assert.Equal("The Debian package ffmpeg 1.0 from 127.0.0.1 is not the one the manifest pins (its SHA-256 differs); nothing was built.", failure.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_cache));
    }

    [Fact]
    public async Task FakeAPackageNeitherArchiveHasStopsTheBuildSayingWhich()
    {
        var (manifest, _) = Manifest(("ffmpeg", "debian", new Dictionary<string, byte[]> { ["usr/bin/ffmpeg"] = "ffmpeg"u8.ToArray() }), null,
            [("bin/ffmpeg", "ffmpeg", "usr/bin/ffmpeg")]);
        _archive.Files.Clear();

        var failure = await Assert.ThrowsAsync<StackDeploymentException>(() => Bundle().EnsureAsync(manifest, _cache, Ct));

        Assert.StartsWith("The processor's image carries ffmpeg from Debian, and the package ffmpeg 1.0 could not be downloaded (127.0.0.1 answered 404; 127.0.0.1 answered 404)", failure.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_cache));
    }

    [Fact]
    public async Task FakeAManifestNamingAFileThePackageLacksSaysToWriteItAgain()
    {
        var (manifest, _) = Manifest(("ffmpeg", "debian", new Dictionary<string, byte[]> { ["usr/bin/ffmpeg"] = "ffmpeg"u8.ToArray() }), null,
            [("bin/ffmpeg", "ffmpeg", "usr/bin/ffmpeg"), ("bin/ffprobe", "ffmpeg", "usr/bin/ffprobe")]);

        var failure = await Assert.ThrowsAsync<StackDeploymentException>(() => Bundle().EnsureAsync(manifest, _cache, Ct));

        Assert.Equal("The Debian package ffmpeg 1.0 has no file usr/bin/ffprobe, which the ffmpeg manifest says it holds; run update-manifest.py again.", failure.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_cache));
    }

    private FfmpegBundle Bundle() => new(new HttpClient(), new FfmpegBundle.Sources(_archive.Mirror, _archive.Snapshot), NullLogger.Instance);

    /// <summary>A manifest of up to two packages the fake serves from the mirror and the snapshot, pinned by their real hashes.</summary>
    private (FfmpegManifest Manifest, byte[] Json) Manifest(
        (string Name, string Archive, Dictionary<string, byte[]> Files) first,
        (string Name, string Archive, Dictionary<string, byte[]> Files)? second,
        (string Name, string Package, string Path)[] files)
    {
        const string snapshot = "20261203T000000Z";
        var packages = new List<object>();
        foreach (var package in new[] { first }.Concat(second is { } s ? [s] : []))
        {
            var deb = FakeDebianArchive.Deb(package.Files);
            _archive.Files[$"mirror/{package.Archive}/pool/{package.Name}.deb"] = deb;
            _archive.Files[$"snapshot/{package.Archive}/{snapshot}/pool/{package.Name}.deb"] = deb;
            packages.Add(new { name = package.Name, version = "1.0", archive = package.Archive, path = $"pool/{package.Name}.deb", size = deb.Length, sha256 = Convert.ToHexStringLower(SHA256.HashData(deb)) });
        }

        var json = JsonSerializer.SerializeToUtf8Bytes(new
        {
            ffmpeg = "1.0",
            snapshot,
            packages,
            files = files.Select(f => new { name = f.Name, package = f.Package, path = f.Path }),
        });
        return (FfmpegManifest.Parse(json), json);
    }

    private static bool RuntimeInformationIsX64() => System.Runtime.InteropServices.RuntimeInformation.OSArchitecture == System.Runtime.InteropServices.Architecture.X64;

    /// <summary>Runs with an empty environment: nothing of the machine's library settings helps the bundle.</summary>
    private static async Task<(int ExitCode, string Output)> RunAsync(string fileName, params string[] arguments)
    {
        var start = new ProcessStartInfo(fileName, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, StandardOutputEncoding = Encoding.UTF8 };
        start.Environment.Clear();
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(Ct);
        var error = process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        return (process.ExitCode, await output + await error);
    }
}
