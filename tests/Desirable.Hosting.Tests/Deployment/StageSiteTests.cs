using System.Text.Json;
using Amazon.S3.Model;
using Desirable.Aws.CloudFormation;
using Desirable.Hosting.Aws.Deployment;
using Microsoft.Extensions.Logging.Abstractions;

namespace Desirable.Hosting.Tests.Deployment;

/// <summary>The web client's files, policy and settings as the Web stack serves them; written to the real emulator's S3.</summary>
public sealed class StageSiteTests : IAsyncLifetime
{
    private const string ImportMap = """{ "imports": { "./_framework/dotnet.js": "./_framework/dotnet.abc123defg.js" } }""";

    private readonly DirectoryInfo _site = Directory.CreateTempSubdirectory("desirable-site-");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        // A published client in miniature: the page with its import map, a fingerprinted framework file with its
        // precompressed copy, a stylesheet.
        await File.WriteAllTextAsync(Path.Combine(_site.FullName, "index.html"),
            $"<!DOCTYPE html><html><head><script type=\"importmap\">{ImportMap}</script></head><body><script src=\"_framework/blazor.webassembly.w3qd1tpl0e.js\"></script></body></html>", Ct);
        _site.CreateSubdirectory("_framework");
        _site.CreateSubdirectory("css");
        await File.WriteAllTextAsync(Path.Combine(_site.FullName, "_framework", "blazor.webassembly.w3qd1tpl0e.js"), "// boot", Ct);
        await File.WriteAllBytesAsync(Path.Combine(_site.FullName, "_framework", "blazor.webassembly.w3qd1tpl0e.js.br"), [1, 2, 3], Ct);
        await File.WriteAllBytesAsync(Path.Combine(_site.FullName, "_framework", "Desirable.Web.Client.4nfaqy1s1u.wasm"), [0, 97, 115, 109], Ct);
        await File.WriteAllTextAsync(Path.Combine(_site.FullName, "css", "app.css"), "body{}", Ct);
    }

    public ValueTask DisposeAsync()
    {
        _site.Delete(recursive: true);
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task TheSiteGoesToTheBucketWithItsTypesFrameworkFilesCachedForAYearAndThePageRevalidated()
    {
        using var s3 = EmulatorClients.S3((await SharedFauxqs.GetAsync()).ServiceUrl);
        var bucket = $"site-{Guid.NewGuid():N}"[..20];
        await s3.PutBucketAsync(bucket, Ct);
        var settings = StageSite.ClientSettings("desirable.eu.auth0.com", "spa-client", "https://api.desirable.example");

        var written = await new StageSite(s3, NullLogger.Instance).UploadAsync(bucket, _site.FullName, settings, Ct);

        Assert.Equal(5, written);
        var keys = (await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket }, Ct)).S3Objects.Select(o => o.Key).Order(StringComparer.Ordinal);
        Assert.Equal(["_framework/Desirable.Web.Client.4nfaqy1s1u.wasm", "_framework/blazor.webassembly.w3qd1tpl0e.js", "client-settings.json", "css/app.css", "index.html"], keys);
        await AssertObjectAsync(s3, bucket, "index.html", "text/html; charset=utf-8", "no-cache");
        await AssertObjectAsync(s3, bucket, "client-settings.json", "application/json", "no-cache");
        await AssertObjectAsync(s3, bucket, "_framework/Desirable.Web.Client.4nfaqy1s1u.wasm", "application/wasm", "public, max-age=31536000, immutable");
        await AssertObjectAsync(s3, bucket, "_framework/blazor.webassembly.w3qd1tpl0e.js", "text/javascript", "public, max-age=31536000, immutable");
        await AssertObjectAsync(s3, bucket, "css/app.css", "text/css", "no-cache");
        using var settingsObject = await s3.GetObjectAsync(bucket, "client-settings.json", Ct);
        var identity = (await JsonDocument.ParseAsync(settingsObject.ResponseStream, cancellationToken: Ct)).RootElement.GetProperty("Identity");
        Assert.Equal("https://desirable.eu.auth0.com/", identity.GetProperty("Authority").GetString());
        Assert.Equal("spa-client", identity.GetProperty("ClientId").GetString());
        Assert.Equal("https://api.desirable.example", identity.GetProperty("Audience").GetString());
    }

    [Fact]
    public async Task EmptyingTheSitesBucketLeavesNothingForItsStackToTripOver()
    {
        using var s3 = EmulatorClients.S3((await SharedFauxqs.GetAsync()).ServiceUrl);
        var bucket = $"site-{Guid.NewGuid():N}"[..20];
        await s3.PutBucketAsync(bucket, Ct);
        var site = new StageSite(s3, NullLogger.Instance);
        await site.UploadAsync(bucket, _site.FullName, "{}", Ct);

        Assert.Equal(5, await site.EmptyAsync(bucket, Ct));

        Assert.Empty((await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket }, Ct)).S3Objects ?? []);
        Assert.Equal(0, await site.EmptyAsync(bucket, Ct));
    }

    [Fact]
    public void ThePolicyAllowsThePagesImportMapByItsHashAndTheTenant()
    {
        var policy = StageSite.ContentSecurityPolicy(_site.FullName, "desirable.eu.auth0.com");

        var hash = Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(ImportMap)));
        Assert.Contains($"script-src 'self' 'wasm-unsafe-eval' 'sha256-{hash}';", policy, StringComparison.Ordinal);
        Assert.Contains("connect-src 'self' https://desirable.eu.auth0.com;", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'self'", policy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFailedPublishStopsTheDeployWithTheToolsReason()
    {
        var output = Path.Combine(_site.FullName, "out");
        var failure = await Assert.ThrowsAsync<StackDeploymentException>(() => StageSite.PublishAsync("/nowhere/Client.csproj", output,
            (_, _) => Task.FromResult((1, "error MSB1009: Project file does not exist.")), Ct));

        Assert.StartsWith("Publishing the web client failed (dotnet publish exited with 1).", failure.Message, StringComparison.Ordinal);
    }

    private static async Task AssertObjectAsync(Amazon.S3.AmazonS3Client s3, string bucket, string key, string contentType, string cacheControl)
    {
        var metadata = await s3.GetObjectMetadataAsync(bucket, key, Ct);
        Assert.Equal(contentType, metadata.Headers.ContentType);
        Assert.Equal(cacheControl, metadata.Headers.CacheControl);
    }
}
