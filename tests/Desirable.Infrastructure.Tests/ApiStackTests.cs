using System.Text.Json;
using Amazon.CDK.Assertions;
using static Desirable.Infrastructure.Tests.TemplateProperties;

namespace Desirable.Infrastructure.Tests;

/// <summary>One test per security, cost or wiring property of the Api stack, named for the rule it guards.</summary>
[Collection(SynthesizedStageGroup.Name)]
public sealed class ApiStackTests(SynthesizedStage stage)
{
    /// <summary>The only actions AWS grants on no resource narrower than "*".</summary>
    private static readonly string[] ActionsOnlyGrantedOnEverything = ["ecr:GetAuthorizationToken", "xray:PutTraceSegments", "xray:PutTelemetryRecords", "cloudwatch:PutMetricData"];

    private JsonElement Template => JsonDocument.Parse(JsonSerializer.Serialize(stage.Api.ToJSON())).RootElement;

    private IEnumerable<(string Policy, JsonElement Statement)> Statements() =>
        Template.GetProperty("Resources").EnumerateObject()
            .Where(r => r.Value.GetProperty("Type").GetString() == "AWS::IAM::Policy")
            .SelectMany(r => r.Value.GetProperty("Properties").GetProperty("PolicyDocument").GetProperty("Statement").EnumerateArray().Select(s => (r.Name, s)));

    private static IEnumerable<string> Strings(JsonElement element) =>
        element.ValueKind == JsonValueKind.Array ? element.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText()) : [element.ValueKind == JsonValueKind.String ? element.GetString()! : element.GetRawText()];

    [Fact]
    public void NoRoleMayDoEverythingOrAnythingToEverything()
    {
        var statements = Statements().ToList();
        Assert.NotEmpty(statements);
        foreach (var (policy, statement) in statements)
        {
            var actions = Strings(statement.GetProperty("Action")).ToList();
            Assert.All(actions, action => Assert.False(action.Contains('*', StringComparison.Ordinal), $"{policy} allows the wildcard action {action}."));
            if (Strings(statement.GetProperty("Resource")).Contains("*"))
            {
                Assert.All(actions, action => Assert.True(ActionsOnlyGrantedOnEverything.Contains(action), $"{policy} allows {action} on every resource."));
            }
        }
    }

    /// <summary>What every task role holds for the telemetry collector beside its service.</summary>
    private static readonly string[] TelemetryGrants =
    [
        "logs:CreateLogStream on arn:{AWS::Partition}:logs:{AWS::Region}:{AWS::AccountId}:log-group:/desirable/alice/metrics:log-stream:*",
        "logs:DescribeLogStreams on arn:{AWS::Partition}:logs:{AWS::Region}:{AWS::AccountId}:log-group:/desirable/alice/metrics:log-stream:*",
        "logs:PutLogEvents on arn:{AWS::Partition}:logs:{AWS::Region}:{AWS::AccountId}:log-group:/desirable/alice/metrics:log-stream:*",
        "xray:PutTelemetryRecords on *",
        "xray:PutTraceSegments on *",
    ];

    [Theory]
    [InlineData("Gateway")]
    [InlineData("Media")]
    [InlineData("Processor")]
    public void EachTaskRoleMayWriteTracesAndMetricRecordsOfItsStageOnly(string service) =>
        Assert.Equal(TelemetryGrants, Granted($"{service}TaskTaskRole").Where(g => g.StartsWith("xray:", StringComparison.Ordinal) || g.StartsWith("logs:", StringComparison.Ordinal)));

    [Theory]
    [InlineData("gateway")]
    [InlineData("media")]
    [InlineData("processor")]
    public void EachServiceExportsTracesAndMetricsToACollectorBesideItFromTheStagesCache(string service)
    {
        var collectorImage = Props(("Fn::Join", new object[]
        {
            "", new object[]
            {
                Props(("Ref", "AWS::AccountId")), ".dkr.ecr.", Props(("Ref", "AWS::Region")), ".", Props(("Ref", "AWS::URLSuffix")),
                $"/desirable-alice-pub/aws-observability/aws-otel-collector:{TelemetryCollector.Version}",
            },
        }));
        stage.Api.HasResourceProperties("AWS::ECS::TaskDefinition", Props(
            ("Family", $"desirable-alice-{service}"),
            ("ContainerDefinitions", Match.ArrayWith(
            [
                Match.ObjectLike(Props(
                    ("Name", service),
                    ("DependsOn", new object[] { Props(("ContainerName", "otel-collector"), ("Condition", "START")) }),
                    ("Environment", Match.ArrayWith(
                    [
                        Props(("Name", "OTEL_EXPORTER_OTLP_ENDPOINT"), ("Value", "http://127.0.0.1:4317")),
                        Props(("Name", "OTEL_SERVICE_NAME"), ("Value", service)),
                        Props(("Name", "OTEL_LOGS_EXPORTER"), ("Value", "none")),
                    ])))),
                Match.ObjectLike(Props(
                    ("Name", "otel-collector"),
                    ("Image", collectorImage),
                    ("Essential", false),
                    ("HealthCheck", Match.ObjectLike(Props(("Command", new object[] { "CMD", "/healthcheck" })))),
                    ("Environment", new object[] { Props(("Name", "AOT_CONFIG_CONTENT"), ("Value", TelemetryCollector.Configuration(StageName.Parse("alice")))) }))),
            ]))));
        // The first pull through the cache creates the collector's repository there; nothing else of ECR's.
        Assert.Contains(
            "ecr:BatchImportUpstreamImage on arn:{AWS::Partition}:ecr:{AWS::Region}:{AWS::AccountId}:repository/desirable-alice-pub/aws-observability/aws-otel-collector",
            Granted($"{char.ToUpperInvariant(service[0])}{service[1..]}TaskExecutionRole"));
    }

    [Fact]
    public void TheCollectorSendsTracesToXRayAndOnlyDesirablesOwnMetricsToCloudWatch()
    {
        var configuration = TelemetryCollector.Configuration(StageName.Parse("alice"));
        Assert.Matches(@"traces:\s+receivers: \[otlp\]\s+processors: \[[^\]]*\]\s+exporters: \[awsxray\]", configuration);
        Assert.Matches(@"metrics:\s+receivers: \[otlp\]\s+processors: \[[^\]]*\]\s+exporters: \[awsemf\]", configuration);
        Assert.Contains("namespace: Desirable/alice", configuration, StringComparison.Ordinal);
        Assert.Contains("log_group_name: /desirable/alice/metrics", configuration, StringComparison.Ordinal);
        Assert.Contains("metric_name_selectors:\n          - '^desirable\\.'", configuration.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        // Only the task's own containers reach the collector.
        Assert.DoesNotContain("0.0.0.0", configuration, StringComparison.Ordinal);
        stage.Api.HasResourceProperties("AWS::Logs::LogGroup", Props(("LogGroupName", "/desirable/alice/metrics"), ("RetentionInDays", Props(("Ref", "LogRetentionDays")))));
    }

    [Theory]
    [InlineData("gateway", "Desirable.Gateway")]
    [InlineData("media", "Desirable.MediaService")]
    [InlineData("processor", "Desirable.MediaProcessor")]
    public void EachServiceIsReplacedWhenItsOwnExecutableFindsItNotAlive(string service, string project)
    {
        stage.Api.HasResourceProperties("AWS::ECS::TaskDefinition", Props(
            ("Family", $"desirable-alice-{service}"),
            ("ContainerDefinitions", Match.ArrayWith(
            [
                Match.ObjectLike(Props(
                    ("Name", service),
                    ("HealthCheck", Match.ObjectLike(Props(("Command", new object[] { "CMD", $"/app/{project}", "--probe-alive" })))))),
            ]))));
        // The executable is named after its project: a renamed project must rename it here too.
        Assert.True(File.Exists(Path.Combine(RepositoryRoot(), "src", project, $"{project}.csproj")), $"No project {project} builds /app/{project}.");
    }

    [Fact]
    public void TheProcessorRunsTheFfmpegItsImageCarriesThroughTheBundlesLoader() =>
        stage.Api.HasResourceProperties("AWS::ECS::TaskDefinition", Props(
            ("Family", "desirable-alice-processor"),
            ("ContainerDefinitions", Match.ArrayWith(
            [
                Match.ObjectLike(Props(("Name", "processor"), ("Environment", Match.ArrayWith(
                [
                    Props(("Name", "Processing__FfmpegPath"), ("Value", "/app/ffmpeg/bin/ffmpeg")),
                    Props(("Name", "Processing__FfprobePath"), ("Value", "/app/ffmpeg/bin/ffprobe")),
                    Props(("Name", "Processing__FfmpegLibraryPath"), ("Value", "/app/ffmpeg/lib")),
                ])))),
            ]))));

    [Fact]
    public void TheMediaServiceMayStoreMediaAndSendJobsAndNothingElse()
    {
        var granted = Granted("MediaTaskTaskRole").Except(TelemetryGrants);
        Assert.Equal(
            ["kms:Decrypt on {StageKeyArn}", "kms:GenerateDataKey on {StageKeyArn}",
             "s3:AbortMultipartUpload on {MediaBucketArn}/media/*", "s3:DeleteObject on {MediaBucketArn}/media/*", "s3:GetObject on {MediaBucketArn}/media/*", "s3:ListBucket on {MediaBucketArn}",
             "s3:PutObject on {MediaBucketArn}/media/*", "sqs:GetQueueAttributes on {JobQueueArn}", "sqs:GetQueueUrl on {JobQueueArn}", "sqs:SendMessage on {JobQueueArn}"],
            granted);
    }

    [Fact]
    public void TheProcessorMayConsumeJobsTouchMediaAndPublishEventsAndNothingElse()
    {
        var granted = Granted("ProcessorTaskTaskRole").Except(TelemetryGrants).ToList();
        Assert.Contains("sqs:ReceiveMessage on {JobQueueArn}", granted);
        Assert.Contains("sqs:ChangeMessageVisibility on {JobQueueArn}", granted);
        Assert.Contains("sqs:SendMessage on {DeadLetterQueueArn}", granted);
        Assert.Contains("sns:Publish on {EventsTopicArn}", granted);
        Assert.Contains("s3:PutObject on {MediaBucketArn}/media/*", granted);
        Assert.All(granted, g => Assert.Matches(@" on \{(MediaBucketArn|JobQueueArn|DeadLetterQueueArn|EventsTopicArn|StageKeyArn)\}", g));
        Assert.DoesNotContain(granted, g => g.StartsWith("secretsmanager:", StringComparison.Ordinal) || g.StartsWith("sqs:PurgeQueue", StringComparison.Ordinal));
    }

    [Fact]
    public void TheGatewayCallsNoAwsServiceOfItsOwn() =>
        Assert.Empty(Granted("GatewayTaskTaskRole").Except(TelemetryGrants));

    [Fact]
    public void OnlyTheExecutionRolesReadSecretsEachOnlyTheOnesItsContainerGets()
    {
        var readers = Statements().Where(s => Strings(s.Statement.GetProperty("Action")).Contains("secretsmanager:GetSecretValue"))
            .GroupBy(r => r.Policy[..r.Policy.IndexOf("DefaultPolicy", StringComparison.Ordinal)])
            .ToDictionary(g => g.Key, g => string.Join(" ", g.SelectMany(r => Strings(r.Statement.GetProperty("Resource"))).Order(StringComparer.Ordinal)));
        string Secret(string prefix) => $"{{\"Ref\":\"{stage.Api.FindResources("AWS::SecretsManager::Secret").Single(r => r.Key.StartsWith(prefix, StringComparison.Ordinal)).Key}\"}}";
        Assert.Equal(new Dictionary<string, string>
        {
            ["GatewayTaskExecutionRole"] = Secret("OriginSecret"),
            ["MediaTaskExecutionRole"] = string.Join(" ", new[] { "{\"Ref\":\"CatalogConnectionStringSecretArn\"}", Secret("SignedUrlSecret") }.Order(StringComparer.Ordinal)),
            ["ProcessorTaskExecutionRole"] = "{\"Ref\":\"CatalogConnectionStringSecretArn\"}",
        }, readers);
        stage.Api.HasResourceProperties("AWS::ECS::TaskDefinition", Props(("ContainerDefinitions", Match.ArrayWith(
        [
            Match.ObjectLike(Props(("Name", "processor"), ("Secrets", new object[] { Props(("Name", "ConnectionStrings__catalog"), ("ValueFrom", Props(("Ref", "CatalogConnectionStringSecretArn")))) }))),
        ]))));
        // The media service signs its content URLs with a generated key of the stage.
        stage.Api.HasResourceProperties("AWS::ECS::TaskDefinition", Props(("ContainerDefinitions", Match.ArrayWith(
        [
            Match.ObjectLike(Props(("Name", "media"), ("Secrets", Match.ArrayWith([Props(("Name", "SignedUrls__Secret"), ("ValueFrom", Props(("Ref", Secret("SignedUrlSecret")[8..^2]))))])))),
        ]))));
    }

    [Theory]
    [InlineData("gateway")]
    [InlineData("media")]
    [InlineData("processor")]
    public void EachServiceRunsItsImageByDigestFromTheStagesRepository(string service)
    {
        var parameter = $"{char.ToUpperInvariant(service[0])}{service[1..]}ImageDigest";
        stage.Api.HasParameter(parameter, Props(("Type", "String"), ("AllowedPattern", "^sha256:[0-9a-f]{64}$")));
        stage.Api.HasResourceProperties("AWS::ECS::TaskDefinition", Props(
            ("Family", $"desirable-alice-{service}"),
            ("ContainerDefinitions", Match.ArrayWith(
            [
                Match.ObjectLike(Props(("Image", Props(("Fn::Join", new object[]
                {
                    "", Match.ArrayWith([$"/desirable-alice/{service}@", Props(("Ref", parameter))]),
                }))))),
            ]))));
    }

    [Fact]
    public void TasksRunInPrivateSubnetsWithoutPublicAddresses()
    {
        var services = stage.Api.FindResources("AWS::ECS::Service");
        Assert.Equal(3, services.Count);
        stage.Api.AllResourcesProperties("AWS::ECS::Service", Props(("NetworkConfiguration", Props(("AwsvpcConfiguration", Match.ObjectLike(Props(("AssignPublicIp", "DISABLED"))))))));
        // The service subnets route nowhere but inside the VPC, unless the NAT gateway is asked for.
        stage.Api.HasParameter("NatGatewayEnabled", Props(("Default", "false")));
        stage.Api.AllResources("AWS::EC2::NatGateway", Props(("Condition", "WithNatGateway")));
        stage.Api.AllResources("AWS::EC2::EIP", Props(("Condition", "WithNatGateway")));
        Assert.Equal(2, stage.Api.FindResources("AWS::EC2::Route", Props(("Condition", "WithNatGateway"))).Count);
    }

    [Theory]
    [InlineData("ecr.api")]
    [InlineData("ecr.dkr")]
    [InlineData("logs")]
    [InlineData("secretsmanager")]
    [InlineData("sqs")]
    [InlineData("sns")]
    [InlineData("xray")]
    public void AwsIsReachedThroughAnInterfaceEndpoint(string service) =>
        stage.Api.HasResourceProperties("AWS::EC2::VPCEndpoint", Props(
            ("VpcEndpointType", "Interface"),
            ("PrivateDnsEnabled", true),
            ("ServiceName", Props(("Fn::Join", new object[] { "", new object[] { "com.amazonaws.", Props(("Ref", "AWS::Region")), $".{service}" } })))));

    [Fact]
    public void S3IsReachedThroughAGatewayEndpoint() =>
        stage.Api.HasResourceProperties("AWS::EC2::VPCEndpoint", Props(("VpcEndpointType", "Gateway")));

    [Fact]
    public void TheGatewayIsBehindTheLoadBalancerWhichChecksItsHealth()
    {
        stage.Api.HasResourceProperties("AWS::ElasticLoadBalancingV2::TargetGroup", Props(
            ("Port", ApiStack.ServicePort), ("TargetType", "ip"), ("HealthCheckPath", "/health")));
        stage.Api.HasResourceProperties("AWS::ECS::Service", Props(("ServiceName", "gateway"), ("LoadBalancers", new object[] { Match.ObjectLike(Props(("ContainerName", "gateway"), ("ContainerPort", ApiStack.ServicePort))) })));
    }

    [Fact]
    public void NothingOfTheStageButCloudFrontHasAnAddressOnTheInternet()
    {
        stage.Api.AllResourcesProperties("AWS::ElasticLoadBalancingV2::LoadBalancer", Props(("Scheme", "internal")));
        var loadBalancer = stage.Api.FindResources("AWS::ElasticLoadBalancingV2::LoadBalancer").Single().Key;
        // Only addresses inside the VPC may connect: CloudFront's VPC origin interfaces are there.
        var ingress = Template.GetProperty("Resources").EnumerateObject()
            .Where(r => r.Value.GetProperty("Type").GetString() == "AWS::EC2::SecurityGroup" && r.Name.StartsWith("LoadBalancerSecurityGroup", StringComparison.Ordinal))
            .SelectMany(r => r.Value.GetProperty("Properties").GetProperty("SecurityGroupIngress").EnumerateArray())
            .Select(i => $"{i.GetProperty("CidrIp").GetString()}:{i.GetProperty("FromPort").GetInt32()}")
            .ToList();
        Assert.Equal([$"{ApiStack.VpcCidr}:80"], ingress);
        stage.Api.HasResourceProperties("AWS::CloudFront::VpcOrigin", Props(("VpcOriginEndpointConfig", Props(
            ("Name", "desirable-alice-api"),
            ("Arn", Props(("Ref", loadBalancer))),
            ("HTTPPort", 80),
            ("HTTPSPort", 443),
            ("OriginProtocolPolicy", "http-only")))));
        Assert.Contains(ApiOutputs.VpcOriginId, stage.Api.FindOutputs("*").Keys);
    }

    [Fact]
    public void TheMediaServiceAndProcessorAreFoundByTheirServiceNames()
    {
        stage.Api.HasResourceProperties("AWS::ServiceDiscovery::PrivateDnsNamespace", Props(("Name", "desirable-alice.internal")));
        stage.Api.HasResourceProperties("AWS::ServiceDiscovery::Service", Props(("Name", "media")));
        stage.Api.HasResourceProperties("AWS::ServiceDiscovery::Service", Props(("Name", "processor")));
        // The gateway's route to http://media resolves there, as Aspire's service discovery resolves it on a laptop.
        stage.Api.HasResourceProperties("AWS::ECS::TaskDefinition", Props(("ContainerDefinitions", Match.ArrayWith(
        [
            Match.ObjectLike(Props(("Environment", Match.ArrayWith([Props(("Name", "services__media__http__0"), ("Value", $"http://media.desirable-alice.internal:{ApiStack.ServicePort}"))])))),
        ]))));
    }

    [Fact]
    public void TheProcessorScalesWithItsJobQueueDownToNothing()
    {
        stage.Api.HasResourceProperties("AWS::ApplicationAutoScaling::ScalableTarget", Props(
            ("MinCapacity", 0), ("MaxCapacity", Props(("Ref", "ProcessorMaxTasks"))),
            ("ScheduledActions", Match.ArrayWith(
            [
                Match.ObjectLike(Props(("Schedule", "cron(0 * * * ? *)"), ("ScalableTargetAction", Props(("MinCapacity", 1))))),
                Match.ObjectLike(Props(("Schedule", "cron(10 * * * ? *)"), ("ScalableTargetAction", Props(("MinCapacity", 0))))),
            ]))));
        stage.Api.HasResourceProperties("AWS::ECS::Service", Props(("ServiceName", "processor"), ("DesiredCount", 0)));
        stage.Api.HasResourceProperties("AWS::CloudWatch::Alarm", Props(("Metrics", Match.ArrayWith(
        [
            Match.ObjectLike(Props(("Expression", "waiting + inFlight"))),
            Match.ObjectLike(Props(("MetricStat", Match.ObjectLike(Props(("Metric", Match.ObjectLike(Props(
                ("MetricName", "ApproximateNumberOfMessagesNotVisible"),
                ("Dimensions", new object[] { Props(("Name", "QueueName"), ("Value", Props(("Ref", "JobQueueName"))))}))))))))),
        ]))));
        stage.Api.HasResourceProperties("AWS::ApplicationAutoScaling::ScalingPolicy", Props(("PolicyType", "StepScaling")));
    }

    [Fact]
    public void LogsGoToCloudWatchForAsLongAsTheStageSays()
    {
        stage.Api.HasParameter("LogRetentionDays", Props(("Default", 30)));
        stage.Api.AllResourcesProperties("AWS::Logs::LogGroup", Props(("RetentionInDays", Props(("Ref", "LogRetentionDays")))));
        foreach (var service in new[] { "gateway", "media", "processor" })
        {
            stage.Api.HasResourceProperties("AWS::Logs::LogGroup", Props(("LogGroupName", $"/desirable/alice/{service}")));
        }

        stage.Api.AllResourcesProperties("AWS::ECS::TaskDefinition", Props(("ContainerDefinitions", Match.ArrayWith(
        [
            Match.ObjectLike(Props(("LogConfiguration", Match.ObjectLike(Props(("LogDriver", "awslogs")))))),
        ]))));
    }

    [Fact]
    public void OnlyRequestsCarryingTheOriginSecretReachTheGatewayAndTheRestAre403()
    {
        stage.Api.HasResourceProperties("AWS::ElasticLoadBalancingV2::Listener", Props(
            ("Port", 80),
            ("DefaultActions", new object[] { Match.ObjectLike(Props(("Type", "fixed-response"), ("FixedResponseConfig", Match.ObjectLike(Props(("StatusCode", "403")))))) })));
        var secret = stage.Api.FindResources("AWS::SecretsManager::Secret").Single(r => r.Key.StartsWith("OriginSecret", StringComparison.Ordinal)).Key;
        var resolve = Props(("Fn::Join", new object[] { "", new object[] { "{{resolve:secretsmanager:", Props(("Ref", secret)), ":SecretString:::}}" } }));
        var header = Props(("Field", "http-header"), ("HttpHeaderConfig", Props(("HttpHeaderName", ApiStack.OriginHeader), ("Values", new object[] { resolve }))));
        stage.Api.HasResourceProperties("AWS::ElasticLoadBalancingV2::ListenerRule", Props(
            ("Priority", 1),
            ("Conditions", new object[] { header }),
            ("Actions", new object[] { Match.ObjectLike(Props(("Type", "forward"))) })));
        Assert.Contains(ApiOutputs.OriginSecretArn, stage.Api.FindOutputs("*").Keys);

        // The gateway gets the same secret, so it believes CloudFront's viewer address on those requests only.
        var gatewaySecret = Props(("Name", "Gateway__ForwardedHeaders__OriginSecret"), ("ValueFrom", Props(("Ref", secret))));
        stage.Api.HasResourceProperties("AWS::ECS::TaskDefinition", Props(("ContainerDefinitions", Match.ArrayWith(
        [
            Match.ObjectLike(Props(("Name", "gateway"), ("Secrets", new object[] { gatewaySecret }))),
        ]))));
    }

    [Fact]
    public void EveryParameterWithoutADefaultIsAnImageOrWhatAnotherStackGives()
    {
        var earlier = stage.Media.FindOutputs("*").Keys
            .Concat(stage.Database.FindOutputs("*").Keys)
            .Concat(stage.Auth.FindParameters("*").Keys)
            .ToHashSet();
        var required = stage.Api.FindParameters("*").Where(p => !((IDictionary<string, object>)p.Value).ContainsKey("Default")).Select(p => p.Key).ToList();
        Assert.NotEmpty(required);
        Assert.All(required, name => Assert.True(earlier.Contains(name) || name.EndsWith("ImageDigest", StringComparison.Ordinal),
            $"The Api stack's parameter {name} is neither an image nor an output or parameter of an earlier stack."));
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Desirable.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("The tests run outside the repository.");
    }

    /// <summary>"action on resource" for every statement of the role's policies, parameters written as {Name}.</summary>
    private List<string> Granted(string rolePrefix) =>
        [.. Statements().Where(s => s.Policy.StartsWith(rolePrefix, StringComparison.Ordinal))
            .SelectMany(s => Strings(s.Statement.GetProperty("Action")).Select(action => $"{action} on {Resource(s.Statement.GetProperty("Resource"))}"))
            .Order(StringComparer.Ordinal)];

    private static string Resource(JsonElement resource) => resource switch
    {
        { ValueKind: JsonValueKind.Object } when resource.TryGetProperty("Ref", out var name) => $"{{{name.GetString()}}}",
        { ValueKind: JsonValueKind.Object } when resource.TryGetProperty("Fn::Join", out var join) =>
            string.Concat(join[1].EnumerateArray().Select(Resource)),
        { ValueKind: JsonValueKind.String } => resource.GetString()!,
        _ => resource.GetRawText(),
    };
}
