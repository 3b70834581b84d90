using Amazon.Runtime;
using Desirable.Aws.Ecr;
using Desirable.Aws.Query;

namespace Desirable.Aws.Tests;

/// <summary>The ECR client against <see cref="FakeEcr"/>, a test double of ECR's JSON 1.1 endpoint (no AWS endpoint is reachable here).</summary>
public sealed class EcrClientFakeTests : IAsyncLifetime
{
    private FakeEcr _fake = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _fake = await FakeEcr.StartAsync();

    public async ValueTask DisposeAsync() => await _fake.DisposeAsync();

    [Fact]
    public async Task FakeTheLoginIsTheTokensUserAndPasswordForTheRegistryItNames()
    {
        var login = await Client().GetLoginAsync(Ct);

        Assert.Equal("AWS", login.UserName);
        Assert.Equal(FakeEcr.Password, login.Password);
        Assert.Equal(FakeEcr.Registry, login.Registry);
        Assert.InRange(login.ExpiresAt, DateTimeOffset.UtcNow.AddHours(11), DateTimeOffset.UtcNow.AddHours(13));
        Assert.DoesNotContain(FakeEcr.Password, login.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FakeAPushedImagesDigestIsFoundByItsTagAndAnUnknownTagHasNone()
    {
        var digest = "sha256:" + new string('c', 64);
        _fake.AddRepository("desirable-alice/media");
        _fake.Push("desirable-alice/media", "abc1234", digest);

        Assert.Equal(digest, await Client().FindDigestAsync("desirable-alice/media", "abc1234", Ct));
        Assert.Null(await Client().FindDigestAsync("desirable-alice/media", "other", Ct));
    }

    [Fact]
    public async Task FakeAMissingRepositoryIsAnErrorWithECRsReason()
    {
        var failure = await Assert.ThrowsAsync<EcrException>(() => Client().FindDigestAsync("desirable-bob/media", "abc1234", Ct));

        Assert.Equal("RepositoryNotFoundException", failure.Code);
        Assert.Contains("desirable-bob/media", failure.Reason, StringComparison.Ordinal);
    }

    private EcrClient Client() => new(new HttpClient(), new AwsQueryClientOptions
    {
        ServiceUrl = _fake.Url,
        Region = "us-east-1",
        Credentials = new BasicAWSCredentials("AKIDEXAMPLE", "secret"),
    });
}
