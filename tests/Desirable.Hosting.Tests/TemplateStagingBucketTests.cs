using Desirable.Hosting.Aws.Cloud;
using Desirable.Infrastructure;

namespace Desirable.Hosting.Tests;

/// <summary>The aws mode's staging bucket for large templates, against a real fauxqs standing in for S3.</summary>
public sealed class TemplateStagingBucketTests : IAsyncLifetime
{
    private FauxqsEmulator _emulator = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() =>
        _emulator = await FauxqsEmulator.StartInTemporaryFolderAsync(Ct);

    [Fact]
    public async Task ALargeTemplateIsStagedInThePrivateBucketOfTheStageAndTheAccount()
    {
        using var s3 = EmulatorClients.S3(_emulator.ServiceUrl);
        var staging = new TemplateStagingBucket(StageName.Parse("alice"), "eu-west-1", s3, _ => Task.FromResult("123456789012"));
        var template = $"{{\"Resources\":{{}},\"Padding\":\"{new string('x', 60_000)}\"}}";

        var url = await staging.StageAsync("desirable-alice-media", template, Ct);
        var again = await staging.StageAsync("desirable-alice-media", template, Ct);

        const string Bucket = "desirable-alice-cfn-123456789012-eu-west-1";
        Assert.Equal(url, again);
        Assert.StartsWith($"https://{Bucket}.s3.eu-west-1.amazonaws.com/desirable-alice-media/", url.ToString(), StringComparison.Ordinal);
        var key = url.AbsolutePath.TrimStart('/');
        using var stored = await s3.GetObjectAsync(Bucket, key, Ct);
        Assert.Equal(template, await new StreamReader(stored.ResponseStream).ReadToEndAsync(Ct));
        var rule = Assert.Single((await s3.GetLifecycleConfigurationAsync(Bucket, Ct)).Configuration.Rules);
        Assert.Equal(1, rule.Expiration.Days);
    }

    public async ValueTask DisposeAsync()
    {
        await _emulator.DisposeAsync();
    }
}
