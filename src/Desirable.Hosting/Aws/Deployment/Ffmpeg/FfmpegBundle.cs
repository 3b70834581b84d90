using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Desirable.Aws.CloudFormation;
using Microsoft.Extensions.Logging;
using SharpCompress.Compressors.Xz;

namespace Desirable.Hosting.Aws.Deployment.Ffmpeg;

/// <summary>
/// The ffmpeg the processor's image carries. The .NET SDK builds images without Docker and cannot install packages,
/// so the deployment lays Debian 12's ffmpeg and ffprobe, every library they load and Debian's loader out as files
/// (<c>bin/</c>, <c>lib/</c>) that go into the image with the processor; the processor runs the tools through that
/// loader (<c>Processing:FfmpegLibraryPath</c>), so they use nothing of the image's own system.
/// </summary>
/// <remarks>
/// Which packages and files is pinned in <c>bookworm-amd64.json</c> (written by <c>update-manifest.py</c> on Debian), each
/// package by its SHA-256: a download that does not match is refused. Packages come from deb.debian.org, or from
/// snapshot.debian.org once Debian has replaced the version. The bundle is built once per manifest into a cache folder
/// and used only when complete.
/// </remarks>
public sealed class FfmpegBundle(HttpClient http, FfmpegBundle.Sources sources, ILogger logger)
{
    /// <summary>Where the packages are downloaded from (the test double replaces both).</summary>
    public sealed record Sources(Uri Mirror, Uri Snapshot)
    {
        public static Sources Debian { get; } = new(new Uri("https://deb.debian.org/"), new Uri("https://snapshot.debian.org/archive/"));
    }

    private const string CompleteMarker = ".complete";

    /// <summary>The MSBuild property the processor's project takes the bundle's folder from (its files go to <c>ffmpeg/</c>).</summary>
    public const string BundleProperty = "DesirableFfmpegBundle";

    /// <summary>The loader the bundle carries in <c>lib/</c>, which the processor runs the tools with.</summary>
    public const string FfmpegLoader = Desirable.Contracts.FfmpegBundleLayout.Loader;

    /// <summary>The pinned manifest this build of the deployment carries.</summary>
    public static FfmpegManifest Manifest { get; } = LoadManifest();

    /// <summary>
    /// The bundle's folder under <paramref name="cacheDirectory"/>, built if it is not there yet: <c>bin/ffmpeg</c>,
    /// <c>bin/ffprobe</c>, <c>lib/</c> with the loader.
    /// </summary>
    public async Task<string> EnsureAsync(FfmpegManifest manifest, string cacheDirectory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var target = Path.Combine(cacheDirectory, $"ffmpeg-{manifest.Id}");
        if (File.Exists(Path.Combine(target, CompleteMarker)))
        {
            return target;
        }

        Directory.CreateDirectory(cacheDirectory);
        var building = Path.Combine(cacheDirectory, $"building-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(Path.Combine(building, "bin"));
            Directory.CreateDirectory(Path.Combine(building, "lib"));
            logger.LogInformation("Building the processor image's ffmpeg {Version} from {Count} Debian packages ({MiB} MiB).",
                manifest.Ffmpeg, manifest.Packages.Count, manifest.Packages.Sum(p => p.Size) / (1024 * 1024));
            using var parallel = new SemaphoreSlim(4);
            await Task.WhenAll(manifest.Packages.Select(async package =>
            {
                await parallel.WaitAsync(cancellationToken);
                try
                {
                    var deb = await DownloadAsync(manifest, package, cancellationToken);
                    Extract(deb, package, manifest.Files.Where(f => f.Package == package.Name).ToList(), building);
                }
                finally
                {
                    parallel.Release();
                }
            }));

            await File.WriteAllTextAsync(Path.Combine(building, CompleteMarker), manifest.Ffmpeg, cancellationToken);
            if (Directory.Exists(target))
            {
                Directory.Delete(target, recursive: true);
            }

            Directory.Move(building, target);
            return target;
        }
        finally
        {
            if (Directory.Exists(building))
            {
                Directory.Delete(building, recursive: true);
            }
        }
    }

    private async Task<byte[]> DownloadAsync(FfmpegManifest manifest, FfmpegPackage package, CancellationToken cancellationToken)
    {
        var addresses = new[]
        {
            new Uri(sources.Mirror, $"{package.Archive}/{package.Path}"),
            new Uri(sources.Snapshot, $"{package.Archive}/{manifest.Snapshot}/{package.Path}"),
        };
        var failures = new List<string>();
        foreach (var address in addresses)
        {
            try
            {
                using var response = await http.GetAsync(address, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                if (!response.IsSuccessStatusCode)
                {
                    failures.Add($"{address.Host} answered {(int)response.StatusCode}");
                    continue;
                }

                var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
                var hash = Convert.ToHexStringLower(SHA256.HashData(bytes));
                if (bytes.Length != package.Size || hash != package.Sha256)
                {
                    logger.LogError("{Address}: {Length} bytes with SHA-256 {Hash}; the manifest pins {Size} bytes with {Expected}.",
                        address, bytes.Length, hash, package.Size, package.Sha256);
                    throw new StackDeploymentException(
                        $"The Debian package {package.Name} {package.Version} from {address.Host} is not the one the manifest pins (its SHA-256 differs); nothing was built.");
                }

                return bytes;
            }
            catch (HttpRequestException e)
            {
                failures.Add($"{address.Host}: {e.Message}");
            }
        }

        throw new StackDeploymentException(
            $"The processor's image carries ffmpeg from Debian, and the package {package.Name} {package.Version} could not be downloaded ({string.Join("; ", failures)}).");
    }

    /// <summary>Writes <paramref name="wanted"/> from the package's data archive into the bundle, named as the bundle wants them.</summary>
    private static void Extract(byte[] deb, FfmpegPackage package, IReadOnlyList<FfmpegFile> wanted, string bundle)
    {
        var remaining = wanted.ToDictionary(f => f.Path, StringComparer.Ordinal);
        using (var data = DataArchive(deb, package))
        using (var tar = new TarReader(data))
        {
            while (remaining.Count > 0 && tar.GetNextEntry() is { } entry)
            {
                var path = entry.Name.TrimStart('.', '/');
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || !remaining.Remove(path, out var file))
                {
                    continue;
                }

                var destination = Path.GetFullPath(Path.Combine(bundle, file.Name));
                if (!destination.StartsWith(Path.GetFullPath(bundle) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                {
                    throw new StackDeploymentException($"The ffmpeg manifest names a file outside the bundle ({file.Name}).");
                }

                using (var output = File.Create(destination))
                {
                    entry.DataStream!.CopyTo(output);
                }

                if (!OperatingSystem.IsWindows())
                {
                    // The tools and the loader run; the libraries are only mapped (the image makes every file executable anyway).
                    File.SetUnixFileMode(destination, file.Name.StartsWith("bin/", StringComparison.Ordinal) || file.Name.EndsWith(FfmpegLoader, StringComparison.Ordinal)
                        ? (UnixFileMode)0b111_101_101
                        : (UnixFileMode)0b110_100_100);
                }
            }
        }

        if (remaining.Count > 0)
        {
            throw new StackDeploymentException(
                $"The Debian package {package.Name} {package.Version} has no file {remaining.Keys.First()}, which the ffmpeg manifest says it holds; run update-manifest.py again.");
        }
    }

    /// <summary>A .deb is an ar archive; its data.tar (xz, gzip or plain) holds the files.</summary>
    private static Stream DataArchive(byte[] deb, FfmpegPackage package)
    {
        var magic = "!<arch>\n"u8;
        if (!deb.AsSpan().StartsWith(magic))
        {
            throw new StackDeploymentException($"The Debian package {package.Name} is not an ar archive.");
        }

        var offset = magic.Length;
        while (offset + 60 <= deb.Length)
        {
            var name = Encoding.ASCII.GetString(deb, offset, 16).Trim().TrimEnd('/');
            var size = long.Parse(Encoding.ASCII.GetString(deb, offset + 48, 10).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            var content = new MemoryStream(deb, offset + 60, checked((int)size), writable: false);
            switch (name)
            {
                case "data.tar.xz":
                    return new XZStream(content);
                case "data.tar.gz":
                    return new GZipStream(content, CompressionMode.Decompress);
                case "data.tar":
                    return content;
                default:
                    if (name.StartsWith("data.tar", StringComparison.Ordinal))
                    {
                        throw new StackDeploymentException($"The Debian package {package.Name} keeps its files as {name}, which the bundle cannot read.");
                    }

                    break;
            }

            offset += 60 + (int)size + (int)(size % 2);
        }

        throw new StackDeploymentException($"The Debian package {package.Name} has no data archive.");
    }

    private static FfmpegManifest LoadManifest()
    {
        using var stream = typeof(FfmpegBundle).Assembly.GetManifestResourceStream("Desirable.Hosting.Ffmpeg.bookworm-amd64.json")
            ?? throw new InvalidOperationException("The ffmpeg manifest is not embedded.");
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return FfmpegManifest.Parse(memory.ToArray());
    }
}

/// <summary>bookworm-amd64.json: the packages (pinned by SHA-256) and which of their files the bundle holds.</summary>
public sealed record FfmpegManifest(
    [property: JsonPropertyName("ffmpeg")] string Ffmpeg,
    [property: JsonPropertyName("snapshot")] string Snapshot,
    [property: JsonPropertyName("packages")] IReadOnlyList<FfmpegPackage> Packages,
    [property: JsonPropertyName("files")] IReadOnlyList<FfmpegFile> Files)
{
    /// <summary>Names the bundle built from this manifest: a changed manifest is a new bundle.</summary>
    [JsonIgnore]
    public string Id { get; private init; } = "";

    public static FfmpegManifest Parse(byte[] json)
    {
        var manifest = JsonSerializer.Deserialize<FfmpegManifest>(json) ?? throw new InvalidDataException("The ffmpeg manifest is empty.");
        return manifest with { Id = Convert.ToHexStringLower(SHA256.HashData(json))[..16] };
    }
}

public sealed record FfmpegPackage(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("archive")] string Archive,
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("sha256")] string Sha256);

/// <summary>One file of the bundle (<c>lib/libavcodec.so.59</c>), and where it is in which package.</summary>
public sealed record FfmpegFile(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("package")] string Package,
    [property: JsonPropertyName("path")] string Path);
