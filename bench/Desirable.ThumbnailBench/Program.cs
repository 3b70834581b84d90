// Thumbnails per second for the processor's image path (decode at reduced scale, resize, encode; no network) on
// the fixed image set of ../shared/bench/make-images.sh, single worker and all cores, with peak memory; and in the
// same run the same files through vipsthumbnail (one process per worker for many files) as the reference.
//
//   dotnet run -c Release --project bench/Desirable.ThumbnailBench [-- --images DIR] [--runs N] [--smoke]
//
// --smoke: two small images of each kind made on the spot, one run, vipsthumbnail only if installed; the test run uses
// it so that the benchmark cannot break unseen.
//
// The image set is cached outside the repository (default ~/.cache/desirable/bench-images); it is generated on the
// first run when missing (about 3 minutes, needs libvips-tools).
using System.Diagnostics;
using System.Globalization;
using Desirable.MediaProcessor.Images;

const int ThumbWidth = 320;
const int Quality = 82;
const long MaxPixels = 100_000_000;

var smoke = args.Contains("--smoke");
var imagesDirectory = smoke ? SmokeImages() : Argument("--images") ?? Path.Combine(
    Environment.GetEnvironmentVariable("XDG_CACHE_HOME") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"),
    "desirable", "bench-images");
var runs = smoke ? 1 : int.Parse(Argument("--runs") ?? "3", CultureInfo.InvariantCulture);
var cores = Environment.ProcessorCount;
var vipsVersion = VipsVersion(required: !smoke);

if (!smoke)
{
    EnsureImages(imagesDirectory);
}

var sets = new (string Name, string[] Files)[]
{
    (smoke ? "JPEG (smoke)" : "JPEG 4000x3000", Directory.GetFiles(Path.Combine(imagesDirectory, "jpg"), "*.jpg").Order(StringComparer.Ordinal).ToArray()),
    (smoke ? "PNG (smoke)" : "PNG 2000x2000", Directory.GetFiles(Path.Combine(imagesDirectory, "png"), "*.png").Order(StringComparer.Ordinal).ToArray()),
};

var maker = new ImageVariantMaker(Quality);
// Warm up: JIT and Skia's first-use initialisation are not what is measured.
foreach (var (_, files) in sets)
{
    maker.MakeOne(files[0], MaxPixels, "thumb", ThumbWidth);
}

Console.WriteLine($"Thumbnail benchmark: {ThumbWidth} px wide, quality {Quality}, median of {runs} runs, {cores} cores, .NET {Environment.Version}, {vipsVersion ?? "vipsthumbnail not installed (smoke run: no reference)"}");
Console.WriteLine($"Images: {imagesDirectory}");
Console.WriteLine();
Console.WriteLine($"| set | path | workers | thumbs/s | vs vipsthumbnail | peak RSS growth | per worker |");
Console.WriteLine($"| --- | --- | --- | --- | --- | --- | --- |");

var output = Directory.CreateTempSubdirectory("desirable-thumbs-").FullName;
try
{
    foreach (var (name, files) in sets)
    {
        foreach (var workers in new[] { 1, cores }.Distinct())
        {
            var skia = Median(runs, () => RunSkia(maker, files, workers));
            if (vipsVersion is null)
            {
                Console.WriteLine($"| {name} | SkiaSharp | {workers} | {skia.Rate:0.00} | - | {Mib(skia.PeakBytes)} | {Mib(skia.PeakBytes / workers)} |");
                continue;
            }

            var vips = Median(runs, () => RunVips(files, workers, output));
            Console.WriteLine($"| {name} | SkiaSharp | {workers} | {skia.Rate:0.00} | {skia.Rate / vips.Rate:0.00}x | {Mib(skia.PeakBytes)} | {Mib(skia.PeakBytes / workers)} |");
            Console.WriteLine($"| {name} | vipsthumbnail | {workers} | {vips.Rate:0.00} | 1.00x | {Mib(vips.PeakBytes)} (max RSS per process) | {Mib(vips.PeakBytes)} |");
        }
    }
}
finally
{
    Directory.Delete(output, recursive: true);
}

Console.WriteLine();
Console.WriteLine("SkiaSharp: the processor's ImageVariantMaker (JPEG decoded at the smallest eighth-scale >= 320 px, then halving +");
Console.WriteLine("Mitchell, JPEG q82 out). vipsthumbnail: --size 320x, JPEG q82 out, shrink-on-load; one process per worker for its");
Console.WriteLine("share of the files, VIPS_CONCURRENCY=1. Peak RSS growth: the bench process's peak resident set during the run");
Console.WriteLine("above its level before it, sampled every 2 ms; for vips, the largest max RSS of its processes (GNU time).");
return;

static (double Rate, long PeakBytes) RunSkia(ImageVariantMaker maker, string[] files, int workers)
{
    GC.Collect();
    GC.WaitForPendingFinalizers();
    var baseline = ResidentBytes();
    var peak = baseline;
    using var sampling = new CancellationTokenSource();
    var sampler = Task.Run(async () =>
    {
        while (!sampling.IsCancellationRequested)
        {
            peak = Math.Max(peak, ResidentBytes());
            await Task.Delay(2);
        }
    });

    var watch = Stopwatch.StartNew();
    Parallel.ForEach(files, new ParallelOptions { MaxDegreeOfParallelism = workers }, file =>
    {
        var thumb = maker.MakeOne(file, MaxPixels, "thumb", 320);
        if (thumb.Width != 320)
        {
            throw new InvalidOperationException($"{file}: thumb is {thumb.Width} wide.");
        }
    });
    watch.Stop();
    sampling.Cancel();
    sampler.Wait();
    return (files.Length / watch.Elapsed.TotalSeconds, Math.Max(0, peak - baseline));
}

static (double Rate, long PeakBytes) RunVips(string[] files, int workers, string output)
{
    var shares = files.Select((file, i) => (file, i)).GroupBy(x => x.i % workers, x => x.file).ToList();
    var watch = Stopwatch.StartNew();
    var processes = shares.Select(share =>
    {
        var start = new ProcessStartInfo("/usr/bin/time", ["-f", "maxrss=%M", "vipsthumbnail", "--size", "320x", "-o", Path.Combine(output, "%s.jpg[Q=82]"), .. share])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        start.Environment["VIPS_CONCURRENCY"] = "1";
        return Process.Start(start)!;
    }).ToList();
    var peak = 0L;
    foreach (var process in processes)
    {
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"vipsthumbnail failed: {errors}");
        }

        var line = errors.Split('\n').Last(l => l.StartsWith("maxrss=", StringComparison.Ordinal));
        peak = Math.Max(peak, long.Parse(line["maxrss=".Length..], CultureInfo.InvariantCulture) * 1024);
    }

    watch.Stop();
    return (files.Length / watch.Elapsed.TotalSeconds, peak);
}

static (double Rate, long PeakBytes) Median(int runs, Func<(double Rate, long PeakBytes)> run)
{
    var results = Enumerable.Range(0, runs).Select(_ => run()).OrderBy(r => r.Rate).ToList();
    return (results[results.Count / 2].Rate, results.Max(r => r.PeakBytes));
}

static long ResidentBytes()
{
    foreach (var line in File.ReadLines("/proc/self/status"))
    {
        if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
        {
            return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }
    }

    return 0;
}

static string Mib(long bytes) => $"{bytes / (1024.0 * 1024):0.0} MiB";

static string? VipsVersion(bool required)
{
    try
    {
        using var vips = Process.Start(new ProcessStartInfo("vipsthumbnail", ["--vips-version"]) { RedirectStandardOutput = true })!;
        return vips.StandardOutput.ReadToEnd().Trim();
    }
    catch (System.ComponentModel.Win32Exception) when (!required)
    {
        return null;
    }
    catch (System.ComponentModel.Win32Exception)
    {
        throw new InvalidOperationException("vipsthumbnail is the reference and is not installed (Debian: apt-get install libvips-tools).");
    }
}

// Two JPEGs and two PNGs, small, in a fresh folder (left in the temp folder's care).
static string SmokeImages()
{
    var directory = Directory.CreateTempSubdirectory("desirable-smoke-images-").FullName;
    foreach (var (kind, format) in new[] { ("jpg", SkiaSharp.SKEncodedImageFormat.Jpeg), ("png", SkiaSharp.SKEncodedImageFormat.Png) })
    {
        Directory.CreateDirectory(Path.Combine(directory, kind));
        for (var i = 0; i < 2; i++)
        {
            using var bitmap = new SkiaSharp.SKBitmap(800, 600);
            bitmap.Erase(new SkiaSharp.SKColor((byte)(60 * i), 120, 200));
            using var image = SkiaSharp.SKImage.FromBitmap(bitmap);
            using var data = image.Encode(format, 90);
            File.WriteAllBytes(Path.Combine(directory, kind, $"smoke-{i}.{kind}"), data.ToArray());
        }
    }

    return directory;
}

static void EnsureImages(string directory)
{
    if (Directory.Exists(Path.Combine(directory, "jpg")) && Directory.GetFiles(Path.Combine(directory, "jpg")).Length == 20 &&
        Directory.Exists(Path.Combine(directory, "png")) && Directory.GetFiles(Path.Combine(directory, "png")).Length == 20)
    {
        return;
    }

    var script = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "..", "shared", "bench", "make-images.sh"));
    Console.WriteLine($"Generating the image set into {directory} with {script} (about 3 minutes)...");
    using var make = Process.Start(new ProcessStartInfo("bash", [script, directory]))!;
    make.WaitForExit();
    if (make.ExitCode != 0)
    {
        throw new InvalidOperationException($"{script} failed ({make.ExitCode}).");
    }
}

string? Argument(string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}
