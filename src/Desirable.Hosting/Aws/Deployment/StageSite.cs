using System.Diagnostics;
using Amazon.S3;
using Amazon.S3.Model;
using Desirable.Aws.CloudFormation;
using Desirable.Contracts;
using Desirable.Hosting.Tools;
using Microsoft.Extensions.Logging;

namespace Desirable.Hosting.Aws.Deployment;

/// <summary>
/// The published web client a deployment puts behind the Web stack: its policy (a stack parameter) and how to write its
/// files to the stack's bucket once the stack exists.
/// </summary>
/// <param name="ContentSecurityPolicy">The page's policy, for the Web stack.</param>
/// <param name="UploadAsync">Writes the client's files to a bucket; returns how many.</param>
/// <param name="EmptyAsync">Deletes everything in a bucket (before its stack is deleted); returns how many objects.</param>
public sealed record StageWeb(string ContentSecurityPolicy, Func<string, CancellationToken, Task<int>> UploadAsync, Func<string, CancellationToken, Task<int>>? EmptyAsync = null);

/// <summary>
/// The web client as the Web stack serves it: published (Release, static files), its content security policy made from
/// the published index.html for the Auth0 tenant, and the files written to the stage's site bucket with the caching
/// CloudFront's behaviours expect (<see cref="SiteCaching"/>).
/// </summary>
public sealed class StageSite(IAmazonS3 s3, ILogger logger)
{
    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript",
        [".mjs"] = "text/javascript",
        [".json"] = "application/json",
        [".wasm"] = "application/wasm",
        [".css"] = "text/css",
        [".png"] = "image/png",
        [".ico"] = "image/x-icon",
        [".svg"] = "image/svg+xml",
        [".webmanifest"] = "application/manifest+json",
        [".txt"] = "text/plain",
    };

    /// <summary>The web client's project, beside the AppHost's.</summary>
    public static string ClientProject(string appHostDirectory) =>
        Path.GetFullPath(Path.Combine(appHostDirectory, "..", "Desirable.Web.Client", "Desirable.Web.Client.csproj"));

    /// <summary>Publishes the client project into <paramref name="outputDirectory"/>; returns the folder of its static files.</summary>
    public static async Task<string> PublishAsync(string projectPath, string outputDirectory, ToolRunner run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var command = new ProcessStartInfo("dotnet");
        foreach (var argument in new[] { "publish", projectPath, "--configuration", "Release", "--output", outputDirectory })
        {
            command.ArgumentList.Add(argument);
        }

        var (exitCode, output) = await run(command, cancellationToken);
        var root = Path.Combine(outputDirectory, "wwwroot");
        return exitCode == 0 && File.Exists(Path.Combine(root, "index.html"))
            ? root
            : throw new StackDeploymentException($"Publishing the web client failed (dotnet publish exited with {exitCode}).{Environment.NewLine}{output}");
    }

    /// <summary>The page's policy, allowing the Auth0 tenant it signs in at.</summary>
    public static string ContentSecurityPolicy(string siteDirectory, string auth0Domain) =>
        PagePolicy.For(File.ReadAllText(Path.Combine(siteDirectory, "index.html")), $"https://{auth0Domain}");

    /// <summary>What the client reads at start (as the web host serves it locally): Auth0's authority, the client id, the audience.</summary>
    public static string ClientSettings(string auth0Domain, string clientId, string audience) =>
        WebClientSettings.Json($"https://{auth0Domain}/", clientId, audience);

    /// <summary>
    /// Writes the site to <paramref name="bucket"/>: every file but index.html first, then the settings, then index.html,
    /// so a page never names a file that is not there yet. Files of earlier deploys stay, so a page loaded before this
    /// one still finds its own. Precompressed copies are left out: CloudFront compresses.
    /// </summary>
    public async Task<int> UploadAsync(string bucket, string siteDirectory, string clientSettings, CancellationToken cancellationToken)
    {
        var files = Directory.EnumerateFiles(siteDirectory, "*", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith(".br", StringComparison.Ordinal) && !f.EndsWith(".gz", StringComparison.Ordinal))
            .Select(f => (Path: f, Key: Path.GetRelativePath(siteDirectory, f).Replace('\\', '/')))
            .OrderBy(f => f.Key == "index.html")
            .ToList();
        var count = 0;
        foreach (var (path, key) in files)
        {
            if (key == "index.html")
            {
                await PutAsync(bucket, WebClientSettings.FileName, new MemoryStream(System.Text.Encoding.UTF8.GetBytes(clientSettings)), "application/json", SiteCaching.Revalidate, cancellationToken);
                count++;
            }

            await using var content = File.OpenRead(path);
            await PutAsync(bucket, key, content, ContentTypes.GetValueOrDefault(Path.GetExtension(key), "application/octet-stream"),
                SiteCaching.CacheControlFor(key), cancellationToken);
            count++;
        }

        logger.LogInformation("Wrote {Count} files of the web client to {Bucket}.", count, bucket);
        return count;
    }

    /// <summary>
    /// Deletes every object of <paramref name="bucket"/>, so that CloudFormation can delete the bucket with its stack (it
    /// refuses a bucket that is not empty). Only the site's bucket: it holds nothing the build cannot make again.
    /// </summary>
    public async Task<int> EmptyAsync(string bucket, CancellationToken cancellationToken)
    {
        var deleted = 0;
        string? token = null;
        do
        {
            var page = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, ContinuationToken = token }, cancellationToken);
            var keys = (page.S3Objects ?? []).Select(o => new KeyVersion { Key = o.Key }).ToList();
            if (keys.Count > 0)
            {
                await s3.DeleteObjectsAsync(new DeleteObjectsRequest { BucketName = bucket, Objects = keys }, cancellationToken);
                deleted += keys.Count;
            }

            token = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (token is not null);

        logger.LogInformation("Emptied {Bucket} ({Count} objects) so that its stack can delete it.", bucket, deleted);
        return deleted;
    }

    private Task<PutObjectResponse> PutAsync(string bucket, string key, Stream content, string contentType, string cacheControl, CancellationToken cancellationToken) =>
        s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket,
            Key = key,
            InputStream = content,
            ContentType = contentType,
            Headers = { CacheControl = cacheControl },
        }, cancellationToken);
}
