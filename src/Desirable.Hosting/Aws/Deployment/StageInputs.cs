using Desirable.Hosting.Modes;
using Desirable.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace Desirable.Hosting.Aws.Deployment;

/// <summary>
/// The values a deployed stage needs that no stack provides, from the AppHost's parameters (user secrets, environment
/// or command line), with a sentence for each one that is missing. Auth0 is the identity provider in AWS: the local
/// issuer is never deployed, so a stage without the tenant's settings is not deployed at all.
/// </summary>
public sealed record StageInputs(IReadOnlyDictionary<string, string> Values, IReadOnlyList<string> Missing)
{
    public const string Auth0DomainParameter = "auth0-domain";
    public const string Auth0AudienceParameter = "auth0-audience";
    public const string Auth0ClientIdParameter = "auth0-client-id";
    public const string MongoConnectionStringParameter = "mongo-connection-string";
    public const string AlarmEmailParameter = "alarm-email";

    public static string ImageDigestParameter(string service) => $"{service}-image-digest";

    /// <summary>What <paramref name="stacks"/> (short names) need, read from <paramref name="configuration"/>.</summary>
    public static StageInputs From(IConfiguration configuration, IReadOnlyCollection<string> stacks)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(stacks);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var missing = new List<string>();

        string? Read(string parameter) => configuration[$"Parameters:{parameter}"] is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

        void Require(string parameter, string key, string what)
        {
            if (Read(parameter) is { } value)
            {
                values[key] = value;
            }
            else
            {
                missing.Add($"{what}: set Parameters:{parameter} (dotnet user-secrets set Parameters:{parameter} <value> --project src/Desirable.AppHost).");
            }
        }

        // The Auth stack keeps the tenant's settings, the API validates its tokens, the page signs in there.
        if (stacks.Contains(DesirableStacks.Auth) || stacks.Contains(DesirableStacks.Api) || stacks.Contains(DesirableStacks.Web))
        {
            Require(Auth0DomainParameter, "Auth0Domain", "The Auth0 tenant's domain (your-tenant.eu.auth0.com), since Auth0 signs users in on AWS");
            Require(Auth0AudienceParameter, "Auth0Audience", "The identifier of the Auth0 API the tokens are for");
        }

        if (stacks.Contains(DesirableStacks.Auth) || stacks.Contains(DesirableStacks.Web))
        {
            Require(Auth0ClientIdParameter, "Auth0SpaClientId", "The client id of the web app's Auth0 application");
        }

        if (stacks.Contains(DesirableStacks.Database))
        {
            if (bool.TryParse(configuration[ModeExtensions.AtlasKey], out var atlas) && atlas)
            {
                values["AtlasEnabled"] = "true";
                values["ExistingConnectionString"] = "";
                Require("atlas-org-id", "AtlasOrgId", "The MongoDB Atlas organization the stage's project is created in");
                Require("atlas-allowed-cidr", "AtlasAllowedCidr", "The addresses allowed to reach the cluster (a CIDR block)");
            }
            else
            {
                values["AtlasEnabled"] = "false";
                Require(MongoConnectionStringParameter, "ExistingConnectionString",
                    $"The catalog's MongoDB connection string (or {ModeExtensions.AtlasKey}=true for an Atlas cluster made by the stack)");
            }
        }

        // Images are built and pushed by the deployment; a digest given here is deployed instead (an image pushed another way).
        foreach (var service in RegistryStack.Services)
        {
            if (stacks.Contains(DesirableStacks.Api) && Read(ImageDigestParameter(service)) is { } digest)
            {
                values[$"{RegistryStack.Capitalized(service)}ImageDigest"] = digest;
            }
        }

        if (stacks.Contains(DesirableStacks.Monitoring) && Read(AlarmEmailParameter) is { } email)
        {
            values["AlarmEmail"] = email;
        }

        return new StageInputs(values, missing);
    }
}
