using Desirable.Hosting.Aws.Deployment;
using Desirable.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace Desirable.Hosting.Tests.Deployment;

public sealed class StageInputsTests
{
    [Fact]
    public void ADeployWithoutAuth0SettingsIsRefusedWithWhatToSet()
    {
        var inputs = StageInputs.From(Configuration([]), [DesirableStacks.Auth]);

        Assert.Equal(
        [
            "The Auth0 tenant's domain (your-tenant.eu.auth0.com), since Auth0 signs users in on AWS: set Parameters:auth0-domain (dotnet user-secrets set Parameters:auth0-domain <value> --project src/Desirable.AppHost).",
            "The identifier of the Auth0 API the tokens are for: set Parameters:auth0-audience (dotnet user-secrets set Parameters:auth0-audience <value> --project src/Desirable.AppHost).",
            "The client id of the web app's Auth0 application: set Parameters:auth0-client-id (dotnet user-secrets set Parameters:auth0-client-id <value> --project src/Desirable.AppHost).",
        ], inputs.Missing);
    }

    [Fact]
    public void TheApiStackNeedsTheTenantAndTakesAGivenImageDigestInsteadOfBuildingTheImage()
    {
        var inputs = StageInputs.From(Configuration(new()
        {
            ["Parameters:auth0-domain"] = "desirable.eu.auth0.com",
            ["Parameters:auth0-audience"] = "https://api.desirable.example",
            ["Parameters:media-image-digest"] = "sha256:" + new string('2', 64),
        }), [DesirableStacks.Api]);

        Assert.Equal("desirable.eu.auth0.com", inputs.Values["Auth0Domain"]);
        Assert.Equal("sha256:" + new string('2', 64), inputs.Values["MediaImageDigest"]);
        // The others are built and pushed by the deployment.
        Assert.Empty(inputs.Missing);
        Assert.False(inputs.Values.ContainsKey("GatewayImageDigest"));
    }

    [Fact]
    public void TheDatabaseStackTakesAConnectionStringOrMakesAnAtlasCluster()
    {
        var existing = StageInputs.From(Configuration(new() { ["Parameters:mongo-connection-string"] = "mongodb://db:27017/desirable" }), [DesirableStacks.Database]);
        Assert.Empty(existing.Missing);
        Assert.Equal("false", existing.Values["AtlasEnabled"]);
        Assert.Equal("mongodb://db:27017/desirable", existing.Values["ExistingConnectionString"]);

        var atlas = StageInputs.From(Configuration(new() { ["Desirable:Aws:Atlas"] = "true" }), [DesirableStacks.Database]);
        Assert.Equal("true", atlas.Values["AtlasEnabled"]);
        Assert.Equal(2, atlas.Missing.Count);
    }

    [Fact]
    public void TheShortOptionsBecomeTheKeysTheAppHostReads()
    {
        Assert.Equal(
            ["--Parameters:aws-stage=alice", "--Desirable:Deploy:Stack=Api", "--Pipeline:SkipConfirmation=true", "--operation", "publish"],
            StageCommandArguments.Normalize(["--stage", "alice", "--stack", "Api", "--yes", "--operation", "publish"]));
        Assert.Equal(["--Pipeline:SkipConfirmation=true"], StageCommandArguments.Normalize(["-y"]));
    }

    private static IConfiguration Configuration(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}
