using Amazon.CDK;
using Amazon.CDK.AWS.SecretsManager;
using Constructs;

namespace Desirable.Infrastructure;

/// <summary>
/// The catalog's database. With <c>AtlasEnabled=true</c>, a MongoDB Atlas project, a cluster with cloud backups, the
/// application's database user and the addresses allowed in, through Atlas's CloudFormation resource types (activate
/// them in the account first; the README says how). Otherwise an existing connection string (any MongoDB, an Atlas
/// cluster made elsewhere). Either way the services read the connection string from one Secrets Manager secret.
/// </summary>
public sealed class DatabaseStack : Stack
{
    /// <summary>The database the catalog lives in, on Atlas as on the local server.</summary>
    public const string DatabaseName = "desirable";

    public const string ApplicationUser = "desirable-app";

    public DatabaseStack(Construct scope, string id, StageSettings settings)
        : base(scope, id, DesirableStacks.PropsFor(settings, id, "MongoDB Atlas or an existing MongoDB, connection string secret"))
    {
        var atlasEnabled = Parameter("AtlasEnabled", "false", "Create the cluster on MongoDB Atlas (true) or use ExistingConnectionString (false).", allowed: ["true", "false"]);
        var existing = Parameter("ExistingConnectionString", "", "A mongodb:// or mongodb+srv:// connection string naming the database, when Atlas is not enabled.", noEcho: true);
        var orgId = Parameter("AtlasOrgId", "", "The Atlas organization the project is created in.");
        var profile = Parameter("AtlasProfile", "default", "The Atlas API key profile: the secret cfn/atlas/profile/{name} in this account and region.");
        var instanceSize = Parameter("AtlasInstanceSize", "M10", "The cluster tier. Cloud backups need M10 or larger.", allowed: ["M10", "M20", "M30", "M40", "M50"]);
        var atlasRegion = Parameter("AtlasRegion", "US_EAST_1", "The Atlas region of the cluster, in Atlas's spelling (US_EAST_1, EU_WEST_1, ...).");
        var allowedCidr = Parameter("AtlasAllowedCidr", "", "The addresses allowed to connect, as a CIDR block (your office, or the NAT of the services).");

        var useAtlas = new CfnCondition(this, "UseAtlas", new CfnConditionProps { Expression = Fn.ConditionEquals(atlasEnabled.ValueAsString, "true") });

        // Say what is missing before anything is created, instead of failing halfway through the stack.
        RequireWhen("ExistingConnectionStringWithoutAtlas", atlasEnabled, "false",
            (existing, "Without Atlas (AtlasEnabled=false), ExistingConnectionString must hold a MongoDB connection string."));
        RequireWhen("AtlasSettingsWithAtlas", atlasEnabled, "true",
            (orgId, "With Atlas (AtlasEnabled=true), AtlasOrgId must name the Atlas organization."),
            (allowedCidr, "With Atlas (AtlasEnabled=true), AtlasAllowedCidr must say which addresses may connect."));

        var project = Atlas("AtlasProject", "MongoDB::Atlas::Project", useAtlas, new()
        {
            ["Name"] = $"desirable-{settings.Stage}",
            ["OrgId"] = orgId.ValueAsString,
            ["Profile"] = profile.ValueAsString,
        });
        var projectId = project.GetAtt("Id").ToString();

        var cluster = Atlas("AtlasCluster", "MongoDB::Atlas::Cluster", useAtlas, new()
        {
            ["ProjectId"] = projectId,
            ["Name"] = "catalog",
            ["ClusterType"] = "REPLICASET",
            ["BackupEnabled"] = true,
            ["PitEnabled"] = true,
            ["ReplicationSpecs"] = new object[]
            {
                new Dictionary<string, object>
                {
                    ["NumShards"] = 1,
                    ["AdvancedRegionConfigs"] = new object[]
                    {
                        new Dictionary<string, object>
                        {
                            ["ProviderName"] = "AWS",
                            ["RegionName"] = atlasRegion.ValueAsString,
                            ["Priority"] = 7,
                            ["ElectableSpecs"] = new Dictionary<string, object> { ["InstanceSize"] = instanceSize.ValueAsString, ["NodeCount"] = 3 },
                        },
                    },
                },
            },
            ["Profile"] = profile.ValueAsString,
        });
        // The catalog is the users' data: it outlives the stack unless the stage is disposable.
        cluster.ApplyRemovalPolicy(settings.Disposable ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN);

        var stageKey = DesirableStacks.Input(this, MediaOutputs.StageKeyArn, "The stage's KMS key, which encrypts the secrets (Media stack).");

        // The application user's password is generated into a secret of its own and never appears in the template.
        var password = new Secret(this, "AtlasUserPassword", new SecretProps
        {
            EncryptionKey = Amazon.CDK.AWS.KMS.Key.FromKeyArn(this, "StageKey", stageKey.ValueAsString),
            Description = $"Password of the Atlas user {ApplicationUser} of stage {settings.Stage}.",
            GenerateSecretString = new SecretStringGenerator
            {
                SecretStringTemplate = $"{{\"username\":\"{ApplicationUser}\"}}",
                GenerateStringKey = "password",
                // It goes into a URI: letters and digits only, so nothing needs escaping.
                ExcludePunctuation = true,
                PasswordLength = 40,
            },
        });
        ((CfnSecret)password.Node.DefaultChild!).CfnOptions.Condition = useAtlas;
        var passwordValue = password.SecretValueFromJson("password").UnsafeUnwrap();

        _ = Atlas("AtlasDatabaseUser", "MongoDB::Atlas::DatabaseUser", useAtlas, new()
        {
            ["ProjectId"] = projectId,
            ["Username"] = ApplicationUser,
            ["Password"] = passwordValue,
            ["DatabaseName"] = "admin",
            ["Roles"] = new object[] { new Dictionary<string, object> { ["RoleName"] = "readWrite", ["DatabaseName"] = DatabaseName } },
            ["Profile"] = profile.ValueAsString,
        });
        _ = Atlas("AtlasIpAccessList", "MongoDB::Atlas::ProjectIpAccessList", useAtlas, new()
        {
            ["ProjectId"] = projectId,
            ["AccessList"] = new object[] { new Dictionary<string, object> { ["CIDRBlock"] = allowedCidr.ValueAsString, ["Comment"] = $"Desirable {settings.Stage}" } },
            ["Profile"] = profile.ValueAsString,
        });

        // mongodb+srv://desirable-app:{password}@{host}/desirable?retryWrites=true&w=majority
        var srvHost = Fn.Select(1, Fn.Split("://", cluster.GetAtt("ConnectionStrings.StandardSrv").ToString()));
        var atlasConnectionString = Fn.Join("", ["mongodb+srv://", ApplicationUser, ":", passwordValue, "@", srvHost, $"/{DatabaseName}?retryWrites=true&w=majority"]);

        var connectionString = new CfnSecret(this, "CatalogConnectionString", new CfnSecretProps
        {
            Name = $"desirable/{settings.Stage}/catalog-connection-string",
            Description = $"The catalog's MongoDB connection string of stage {settings.Stage}.",
            KmsKeyId = stageKey.ValueAsString,
        });
        // Fn::If written out: jsii cannot pass CDK's condition expression where a string is expected.
        connectionString.AddPropertyOverride("SecretString", new Dictionary<string, object>
        {
            ["Fn::If"] = new object[] { useAtlas.LogicalId, atlasConnectionString, existing.ValueAsString },
        });
        connectionString.ApplyRemovalPolicy(RemovalPolicy.DESTROY);

        _ = new CfnOutput(this, DatabaseOutputs.ConnectionStringSecretArn, new CfnOutputProps
        {
            Value = connectionString.Ref,
            Description = "The secret holding the catalog's connection string.",
        });
        _ = new CfnOutput(this, DatabaseOutputs.DatabaseName, new CfnOutputProps { Value = DatabaseName, Description = "The catalog's database." });
        // Only with Atlas: says what a removed stage leaves behind in Atlas.
        _ = new CfnOutput(this, DatabaseOutputs.AtlasCluster, new CfnOutputProps
        {
            Value = $"catalog in project desirable-{settings.Stage}",
            Description = "The Atlas cluster the stack made (kept when the stack is deleted, unless the stage is disposable).",
            Condition = useAtlas,
        });
    }

    private CfnParameter Parameter(string name, string defaultValue, string description, string[]? allowed = null, bool noEcho = false) =>
        new(this, name, new CfnParameterProps
        {
            Type = "String",
            Default = defaultValue,
            Description = description,
            AllowedValues = allowed,
            NoEcho = noEcho,
        });

    /// <summary>A template rule: when <paramref name="switchParameter"/> has <paramref name="value"/>, each parameter must be set.</summary>
    private void RequireWhen(string id, CfnParameter switchParameter, string value, params (CfnParameter Parameter, string Description)[] required) =>
        _ = new CfnRule(this, id, new CfnRuleProps
        {
            RuleCondition = Fn.ConditionEquals(switchParameter.ValueAsString, value),
            Assertions = [.. required.Select(r => new CfnRuleAssertion
            {
                Assert = Fn.ConditionNot(Fn.ConditionEquals(r.Parameter.ValueAsString, "")),
                AssertDescription = r.Description,
            })],
        });

    private CfnResource Atlas(string id, string type, CfnCondition condition, Dictionary<string, object> properties)
    {
        var resource = new CfnResource(this, id, new CfnResourceProps { Type = type, Properties = properties });
        resource.CfnOptions.Condition = condition;
        return resource;
    }
}
