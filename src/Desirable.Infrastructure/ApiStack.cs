using Amazon.CDK;
using Amazon.CDK.AWS.ApplicationAutoScaling;
using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.ECR;
using Amazon.CDK.AWS.ECS;
using Amazon.CDK.AWS.ElasticLoadBalancingV2;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.KMS;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AWS.ServiceDiscovery;
using Constructs;
using HealthCheck = Amazon.CDK.AWS.ElasticLoadBalancingV2.HealthCheck;
using Protocol = Amazon.CDK.AWS.ECS.Protocol;
using SecretsManagerSecret = Amazon.CDK.AWS.SecretsManager.Secret;

namespace Desirable.Infrastructure;

/// <summary>
/// The services: the gateway, the media API and the processor as ECS Fargate services in a VPC of the stage. The tasks
/// run in private subnets and reach AWS through VPC endpoints (a NAT gateway only when <c>NatGatewayEnabled</c> asks for
/// one, for a catalog outside AWS); the gateway is behind an internal Application Load Balancer, which CloudFront reaches
/// as a VPC origin (nothing of the stage but CloudFront has an address on the internet); the media API and the processor
/// are found by the names the services use locally (<c>http://media</c>), through Cloud Map. The processor scales with
/// its job queue, down to no task at all when idle. Each service has a task role holding only what it calls.
/// </summary>
/// <remarks>
/// Everything another stack made arrives as a parameter named as that stack's output (the deployment passes each
/// output to the parameter of the same name), and each image by its digest, so a deployment names exactly the image it
/// built and pushed.
/// </remarks>
public sealed class ApiStack : Stack
{
    /// <summary>The stage's KMS key (Media stack): the log groups and the origin secret are encrypted with it.</summary>
    private readonly IKey _stageKey;

    /// <summary>The port every service listens on in its container (ASP.NET Core's container default).</summary>
    public const int ServicePort = 8080;

    /// <summary>The header by which the load balancer knows a request came through the stage's CloudFront distribution.</summary>
    public const string OriginHeader = Desirable.Contracts.EdgeHeaders.OriginSecret;

    /// <summary>The tasks' address range; the gateway trusts forwarded headers only from within it (the load balancer).</summary>
    public const string VpcCidr = "10.40.0.0/16";

    /// <summary>The AWS services the tasks call, each through an interface endpoint in the private subnets.</summary>
    public static IReadOnlyList<string> InterfaceEndpoints { get; } = ["ecr.api", "ecr.dkr", "logs", "secretsmanager", "sqs", "sns", "xray"];

    /// <summary>
    /// Each service's executable in its image (the .NET SDK puts the app in /app), which its container's health check
    /// runs with <c>--probe-alive</c>.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Executables { get; } = new Dictionary<string, string>
    {
        [RegistryStack.Gateway] = "/app/Desirable.Gateway",
        [RegistryStack.Media] = "/app/Desirable.MediaService",
        [RegistryStack.Processor] = "/app/Desirable.MediaProcessor",
    };

    public ApiStack(Construct scope, string id, StageSettings settings)
        : base(scope, id, DesirableStacks.PropsFor(settings, id, "gateway, media API and processor on ECS Fargate"))
    {
        var stage = settings.Stage;

        // From the other stacks, by their output names.
        var bucketName = DesirableStacks.Input(this, MediaOutputs.BucketName, "The media bucket (Media stack).");
        var bucketArn = DesirableStacks.Input(this, MediaOutputs.BucketArn, "The media bucket's ARN (Media stack).");
        var jobQueueName = DesirableStacks.Input(this, MediaOutputs.JobQueueName, "The processing job queue (Media stack).");
        var jobQueueArn = DesirableStacks.Input(this, MediaOutputs.JobQueueArn, "The job queue's ARN (Media stack).");
        var deadLetterQueueName = DesirableStacks.Input(this, MediaOutputs.DeadLetterQueueName, "The dead-letter queue (Media stack).");
        var deadLetterQueueArn = DesirableStacks.Input(this, MediaOutputs.DeadLetterQueueArn, "The dead-letter queue's ARN (Media stack).");
        var topicArn = DesirableStacks.Input(this, MediaOutputs.EventsTopicArn, "The events topic's ARN (Media stack).");
        var stageKeyArn = DesirableStacks.Input(this, MediaOutputs.StageKeyArn, "The stage's KMS key (Media stack).");
        _stageKey = Key.FromKeyArn(this, "StageKey", stageKeyArn.ValueAsString);
        var catalogSecretArn = DesirableStacks.Input(this, DatabaseOutputs.ConnectionStringSecretArn, "The catalog connection string's secret (Database stack).");
        // The stage's Auth0 tenant, as given to the Auth stack.
        var auth0Domain = DesirableStacks.Input(this, "Auth0Domain", "The Auth0 tenant's domain (as given to the Auth stack).");
        var auth0Audience = DesirableStacks.Input(this, "Auth0Audience", "The Auth0 API's identifier (as given to the Auth stack).");

        var natGatewayEnabled = new CfnParameter(this, "NatGatewayEnabled", new CfnParameterProps
        {
            Type = "String",
            Default = "false",
            AllowedValues = ["true", "false"],
            Description = "Add a NAT gateway (about 33 USD a month plus traffic), for a catalog outside AWS such as MongoDB Atlas without private endpoints.",
        });
        var processorMaxTasks = new CfnParameter(this, "ProcessorMaxTasks", new CfnParameterProps
        {
            Type = "Number",
            Default = 4,
            MinValue = 1,
            MaxValue = 50,
            Description = "The most processor tasks the job queue's depth may start.",
        });
        var logRetentionDays = new CfnParameter(this, "LogRetentionDays", new CfnParameterProps
        {
            Type = "Number",
            Default = 30,
            AllowedValues = ["1", "3", "5", "7", "14", "30", "60", "90", "120", "150", "180", "365", "400", "545", "731", "1827", "3653"],
            Description = "How long the services' logs are kept, in days.",
        });

        var vpc = new Vpc(this, "Vpc", new VpcProps
        {
            IpAddresses = IpAddresses.Cidr(VpcCidr),
            MaxAzs = 2,
            NatGateways = 0,
            SubnetConfiguration =
            [
                new SubnetConfiguration { Name = "edge", SubnetType = SubnetType.PUBLIC, CidrMask = 24 },
                new SubnetConfiguration { Name = "services", SubnetType = SubnetType.PRIVATE_ISOLATED, CidrMask = 22 },
            ],
            // The default security group is not used by anything here; restricting it takes a custom resource.
            RestrictDefaultSecurityGroup = false,
        });
        var services = new SubnetSelection { SubnetType = SubnetType.PRIVATE_ISOLATED };
        AddEndpoints(vpc, services);
        AddOptionalNatGateway(vpc, natGatewayEnabled);

        var cluster = new Cluster(this, "Cluster", new ClusterProps
        {
            Vpc = vpc,
            ClusterName = $"desirable-{stage}",
            ContainerInsights = true,
        });

        // The names services call each other by: media.desirable-{stage}.internal, given to the gateway as the address of
        // http://media (Aspire's service discovery reads services__media__http__0, here as on a laptop).
        var namespaceName = $"desirable-{stage}.internal";
        var discovery = new PrivateDnsNamespace(this, "ServiceNames", new PrivateDnsNamespaceProps
        {
            Name = namespaceName,
            Vpc = vpc,
            Description = $"Service names of Desirable stage {stage}.",
        });

        // The collectors' metric records: CloudWatch makes metrics of them; the records themselves need not last.
        var metricRecords = new LogGroup(this, "MetricRecords", new LogGroupProps
        {
            LogGroupName = TelemetryCollector.MetricsLogGroupName(stage),
            EncryptionKey = _stageKey,
            RemovalPolicy = RemovalPolicy.DESTROY,
        });
        ((CfnLogGroup)metricRecords.Node.DefaultChild!).RetentionInDays = logRetentionDays.ValueAsNumber;

        var identity = new Dictionary<string, string>
        {
            ["Identity__Authority"] = Fn.Join("", ["https://", auth0Domain.ValueAsString, "/"]),
            ["Identity__Audience"] = auth0Audience.ValueAsString,
        };
        var catalogSecret = SecretsManagerSecret.FromSecretCompleteArn(this, "CatalogSecret", catalogSecretArn.ValueAsString);
        var catalog = new Dictionary<string, Amazon.CDK.AWS.ECS.Secret>
        {
            ["ConnectionStrings__catalog"] = Amazon.CDK.AWS.ECS.Secret.FromSecretsManager(catalogSecret),
        };
        var storage = new Dictionary<string, string>
        {
            ["AWS_REGION"] = Aws.REGION,
            ["Storage__BucketName"] = bucketName.ValueAsString,
            ["Processing__QueueName"] = jobQueueName.ValueAsString,
        };

        // The key of the media service's signed URLs (images and video the page loads without a token): one for every task.
        var signedUrlSecret = new SecretsManagerSecret(this, "SignedUrlSecret", new Amazon.CDK.AWS.SecretsManager.SecretProps
        {
            Description = $"desirable-{stage}: the key the media service signs its content URLs with.",
            EncryptionKey = _stageKey,
            GenerateSecretString = new Amazon.CDK.AWS.SecretsManager.SecretStringGenerator { ExcludePunctuation = true, PasswordLength = 64 },
        });
        var media = Service(cluster, stage, RegistryStack.Media, cpu: 512, memoryMiB: 1024, services, logRetentionDays, new ServiceOptions
        {
            Environment = Merge(storage, identity),
            Secrets = new(catalog) { ["SignedUrls__Secret"] = Amazon.CDK.AWS.ECS.Secret.FromSecretsManager(signedUrlSecret) },
            DiscoveryNamespace = discovery,
        });
        Allow(media.TaskDefinition.TaskRole, "MediaObjects", ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"], $"{bucketArn.ValueAsString}/{MediaStack.MediaPrefix}*");
        Allow(media.TaskDefinition.TaskRole, "MediaBucket", ["s3:ListBucket"], bucketArn.ValueAsString);
        Allow(media.TaskDefinition.TaskRole, "SendJobs", ["sqs:SendMessage", "sqs:GetQueueUrl", "sqs:GetQueueAttributes"], jobQueueArn.ValueAsString);
        // The bucket and the queue are encrypted with the stage's key: writing takes a data key, reading decrypts.
        Allow(media.TaskDefinition.TaskRole, "StageKey", ["kms:Decrypt", "kms:GenerateDataKey"], stageKeyArn.ValueAsString);

        var processor = Service(cluster, stage, RegistryStack.Processor, cpu: 1024, memoryMiB: 2048, services, logRetentionDays, new ServiceOptions
        {
            Environment = Merge(storage, new Dictionary<string, string>
            {
                ["Processing__DeadLetterQueueName"] = deadLetterQueueName.ValueAsString,
                // The image's ffmpeg: Debian's, with its own libraries, run through its own loader.
                ["Processing__FfmpegPath"] = $"{Desirable.Contracts.FfmpegBundleLayout.ImageDirectory}/bin/ffmpeg",
                ["Processing__FfprobePath"] = $"{Desirable.Contracts.FfmpegBundleLayout.ImageDirectory}/bin/ffprobe",
                ["Processing__FfmpegLibraryPath"] = $"{Desirable.Contracts.FfmpegBundleLayout.ImageDirectory}/lib",
                ["Processing__EventsTopicArn"] = topicArn.ValueAsString,
                // The queue's redrive and visibility: the processor counts and extends by the same figures.
                ["Processing__MaxAttempts"] = MediaStack.ProcessingAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Processing__VisibilityTimeout"] = TimeSpan.FromSeconds(MediaStack.JobVisibilityTimeoutSeconds).ToString("c", System.Globalization.CultureInfo.InvariantCulture),
            }),
            Secrets = catalog,
            DiscoveryNamespace = discovery,
            // Nothing to do until a job arrives: the queue's depth starts it.
            DesiredCount = 0,
        });
        var processorRole = processor.TaskDefinition.TaskRole;
        Allow(processorRole, "MediaObjects", ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"], $"{bucketArn.ValueAsString}/{MediaStack.MediaPrefix}*");
        Allow(processorRole, "MediaBucket", ["s3:ListBucket"], bucketArn.ValueAsString);
        Allow(processorRole, "ConsumeJobs", ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:SendMessage", "sqs:GetQueueUrl", "sqs:GetQueueAttributes"], jobQueueArn.ValueAsString);
        Allow(processorRole, "DeadLetters", ["sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueUrl", "sqs:GetQueueAttributes"], deadLetterQueueArn.ValueAsString);
        Allow(processorRole, "PublishEvents", ["sns:Publish"], topicArn.ValueAsString);
        Allow(processorRole, "StageKey", ["kms:Decrypt", "kms:GenerateDataKey"], stageKeyArn.ValueAsString);
        // The catalog's secret is encrypted with the stage's key; the execution roles inject it.
        foreach (var service in new[] { media, processor })
        {
            Allow(service.TaskDefinition.ObtainExecutionRole(), "CatalogSecretKey", ["kms:Decrypt"], stageKeyArn.ValueAsString);
        }
        ScaleWithJobQueue(processor, jobQueueName, processorMaxTasks);

        // Only the stage's CloudFront distribution reaches the gateway: it sends a header with this secret, and a request
        // without it (someone calling the load balancer's name directly, past the web ACL) is answered 403.
        var originSecret = new SecretsManagerSecret(this, "OriginSecret", new Amazon.CDK.AWS.SecretsManager.SecretProps
        {
            Description = $"desirable-{stage}: the {OriginHeader} header CloudFront sends the load balancer.",
            EncryptionKey = _stageKey,
            GenerateSecretString = new Amazon.CDK.AWS.SecretsManager.SecretStringGenerator { ExcludePunctuation = true, PasswordLength = 48 },
        });
        var gateway = Service(cluster, stage, RegistryStack.Gateway, cpu: 256, memoryMiB: 512, services, logRetentionDays, new ServiceOptions
        {
            Environment = Merge(identity, new Dictionary<string, string>
            {
                ["services__media__http__0"] = $"http://media.{namespaceName}:{ServicePort}",
                // Only the load balancer, inside the VPC, may say who the caller is.
                ["Gateway__ForwardedHeaders__KnownNetworks__0"] = VpcCidr,
            }),
            // With it, the gateway takes the viewer's address from CloudFront's header (its rate limiter counts per viewer).
            Secrets = new() { ["Gateway__ForwardedHeaders__OriginSecret"] = Amazon.CDK.AWS.ECS.Secret.FromSecretsManager(originSecret) },
            DiscoveryNamespace = null,
        });
        // No AWS calls of its own: its task role has no statements.
        media.Connections.AllowFrom(gateway, Port.Tcp(ServicePort), "The gateway proxies the API.");

        // Internal: the load balancer has no address on the internet at all. CloudFront reaches it as a VPC origin, from
        // network interfaces CloudFront places in the VPC, so only addresses of the VPC may connect; the origin secret
        // below still tells the site's distribution from anything else inside.
        var loadBalancer = new ApplicationLoadBalancer(this, "LoadBalancer", new ApplicationLoadBalancerProps
        {
            Vpc = vpc,
            InternetFacing = false,
            VpcSubnets = services,
            DropInvalidHeaderFields = true,
        });
        loadBalancer.Connections.AllowFrom(Peer.Ipv4(VpcCidr), Port.Tcp(80), "CloudFront's VPC origin, from inside the VPC.");
        var listener = loadBalancer.AddListener("Http", new BaseApplicationListenerProps
        {
            Port = 80,
            Open = false,
            DefaultAction = ListenerAction.FixedResponse(403, new FixedResponseOptions
            {
                ContentType = "text/plain",
                MessageBody = "Forbidden: this address serves the stage's site only; use the site's address.",
            }),
        });
        listener.AddTargets("Gateway", new AddApplicationTargetsProps
        {
            Priority = 1,
            Conditions = [ListenerCondition.HttpHeader(OriginHeader, [originSecret.SecretValue.UnsafeUnwrap()])],
            Port = ServicePort,
            Protocol = ApplicationProtocol.HTTP,
            Targets = [gateway],
            HealthCheck = new HealthCheck { Path = Desirable.Contracts.HealthPaths.Health, HealthyHttpCodes = "200", Interval = Duration.Seconds(15) },
            DeregistrationDelay = Duration.Seconds(30),
        });

        // CloudFormation has the resource; this CDK version has no construct for it yet.
        var siteOrigin = new CfnResource(this, "SiteOrigin", new CfnResourceProps
        {
            Type = "AWS::CloudFront::VpcOrigin",
            Properties = new Dictionary<string, object>
            {
                ["VpcOriginEndpointConfig"] = new Dictionary<string, object>
                {
                    ["Name"] = $"desirable-{stage}-api",
                    ["Arn"] = loadBalancer.LoadBalancerArn,
                    ["HTTPPort"] = 80,
                    ["HTTPSPort"] = 443,
                    // Inside AWS's network from CloudFront to the VPC; the viewer's side is HTTPS only.
                    ["OriginProtocolPolicy"] = "http-only",
                },
            },
        });

        DesirableStacks.Output(this, ApiOutputs.VpcOriginId, siteOrigin.GetAtt("Id").ToString(), "The load balancer as a CloudFront VPC origin, for the site's API paths.");
        DesirableStacks.Output(this, ApiOutputs.LoadBalancerDnsName, loadBalancer.LoadBalancerDnsName, "The load balancer in front of the gateway.");
        DesirableStacks.Output(this, ApiOutputs.OriginSecretArn, originSecret.SecretArn, $"The secret CloudFront sends as {OriginHeader}.");
        DesirableStacks.Output(this, ApiOutputs.LoadBalancerFullName, loadBalancer.LoadBalancerFullName, "The load balancer's name in its CloudWatch metrics.");
        DesirableStacks.Output(this, ApiOutputs.ProcessorLogGroupName, $"/desirable/{stage}/processor", "The processor's log group.");
        DesirableStacks.Output(this, ApiOutputs.ClusterName, cluster.ClusterName, "The ECS cluster of the stage's services.");
        DesirableStacks.Output(this, ApiOutputs.ServiceNamespace, namespaceName, "The private DNS namespace the services find each other in.");
        foreach (var (name, service) in new[] { (RegistryStack.Gateway, gateway), (RegistryStack.Media, media), (RegistryStack.Processor, processor) })
        {
            DesirableStacks.Output(this, ApiOutputs.ServiceName(name), service.ServiceName, $"The {name} ECS service.");
        }
    }

    /// <summary>What differs between the three services besides size.</summary>
    private sealed class ServiceOptions
    {
        public required Dictionary<string, string> Environment { get; init; }

        public required Dictionary<string, Amazon.CDK.AWS.ECS.Secret> Secrets { get; init; }

        public required INamespace? DiscoveryNamespace { get; init; }

        public int DesiredCount { get; init; } = 1;
    }

    private FargateService Service(Cluster cluster, StageName stage, string name, int cpu, int memoryMiB, SubnetSelection subnets, CfnParameter logRetentionDays, ServiceOptions options)
    {
        var title = RegistryStack.Capitalized(name);
        var digest = new CfnParameter(this, $"{title}ImageDigest", new CfnParameterProps
        {
            Type = "String",
            AllowedPattern = "^sha256:[0-9a-f]{64}$",
            ConstraintDescription = "an image digest such as sha256:0123…, as the registry reported it when the image was pushed",
            Description = $"The {name} image to run, by digest, from the stage's {name} repository.",
        });
        var repository = Repository.FromRepositoryName(this, $"{title}Repository", RegistryStack.RepositoryName(stage, name));

        var logs = new LogGroup(this, $"{title}Logs", new LogGroupProps
        {
            LogGroupName = $"/desirable/{stage}/{name}",
            EncryptionKey = _stageKey,
            // A retained group would block the next deploy of the stage with the same name.
            RemovalPolicy = RemovalPolicy.DESTROY,
        });
        ((CfnLogGroup)logs.Node.DefaultChild!).RetentionInDays = logRetentionDays.ValueAsNumber;

        var task = new FargateTaskDefinition(this, $"{title}Task", new FargateTaskDefinitionProps
        {
            Family = $"desirable-{stage}-{name}",
            Cpu = cpu,
            MemoryLimitMiB = memoryMiB,
            RuntimePlatform = new RuntimePlatform { CpuArchitecture = CpuArchitecture.X86_64, OperatingSystemFamily = OperatingSystemFamily.LINUX },
        });
        var container = task.AddContainer(name, new ContainerDefinitionOptions
        {
            // By digest: exactly the image the deployment built and pushed, never whatever a tag points at now.
            Image = ContainerImage.FromRegistry(Fn.Join("", [repository.RepositoryUri, "@", digest.ValueAsString])),
            Environment = new Dictionary<string, string>(options.Environment)
            {
                ["ASPNETCORE_HTTP_PORTS"] = $"{ServicePort}",
                // One JSON object per line: CloudWatch keeps each entry whole, and metric filters can read its fields.
                ["Logging__Console__FormatterName"] = "json",
            },
            Secrets = options.Secrets,
            PortMappings = [new PortMapping { Name = "http", ContainerPort = ServicePort, Protocol = Protocol.TCP, AppProtocol = AppProtocol.Http }],
            Logging = LogDriver.AwsLogs(new AwsLogDriverProps { LogGroup = logs, StreamPrefix = name }),
            ReadonlyRootFilesystem = false,
            // Liveness, not readiness: a task is replaced when its process stops answering, not when S3 or the catalog
            // is away (every task would be, and come back no better). The load balancer reads /health for readiness.
            HealthCheck = new Amazon.CDK.AWS.ECS.HealthCheck
            {
                Command = ["CMD", Executables[name], Desirable.Contracts.HealthPaths.AliveProbeArgument],
                Interval = Duration.Seconds(30),
                Timeout = Duration.Seconds(5),
                Retries = 3,
                StartPeriod = Duration.Seconds(30),
            },
        });
        repository.GrantPull(task.ObtainExecutionRole());
        TelemetryCollector.AddTo(task, container, stage, logs);

        var service = new FargateService(this, $"{title}Service", new FargateServiceProps
        {
            Cluster = cluster,
            ServiceName = name,
            TaskDefinition = task,
            DesiredCount = options.DesiredCount,
            VpcSubnets = subnets,
            AssignPublicIp = false,
            CircuitBreaker = new DeploymentCircuitBreaker { Enable = true, Rollback = true },
            MinHealthyPercent = 100,
            CloudMapOptions = options.DiscoveryNamespace is null ? null : new CloudMapOptions
            {
                CloudMapNamespace = options.DiscoveryNamespace,
                Name = name,
                DnsRecordType = DnsRecordType.A,
                DnsTtl = Duration.Seconds(10),
            },
        });
        return service;
    }

    /// <summary>
    /// Processor tasks follow the job queue: jobs waiting or in flight start one more each minute (three at a time past
    /// 50), none left take one away, down to zero. Counting the jobs in flight keeps the task that is working on the last
    /// one alive. The reconciler (cut-off deletes, owed events, lost jobs) runs in the processor, so the first ten
    /// minutes of every hour keep one task up even when nothing arrives.
    /// </summary>
    private static void ScaleWithJobQueue(FargateService processor, CfnParameter jobQueueName, CfnParameter maxTasks)
    {
        var scaling = processor.AutoScaleTaskCount(new EnableScalingProps { MinCapacity = 0, MaxCapacity = maxTasks.ValueAsNumber });
        Metric QueueMetric(string metric) => new(new MetricProps
        {
            Namespace = "AWS/SQS",
            MetricName = metric,
            DimensionsMap = new Dictionary<string, string> { ["QueueName"] = jobQueueName.ValueAsString },
            Statistic = "Maximum",
            Period = Duration.Minutes(1),
        });
        scaling.ScaleOnMetric("JobQueueDepth", new BasicStepScalingPolicyProps
        {
            Metric = new MathExpression(new MathExpressionProps
            {
                Expression = "waiting + inFlight",
                UsingMetrics = new Dictionary<string, IMetric>
                {
                    ["waiting"] = QueueMetric("ApproximateNumberOfMessagesVisible"),
                    ["inFlight"] = QueueMetric("ApproximateNumberOfMessagesNotVisible"),
                },
                Period = Duration.Minutes(1),
                Label = "Jobs waiting or in flight",
            }),
            AdjustmentType = AdjustmentType.CHANGE_IN_CAPACITY,
            ScalingSteps =
            [
                new ScalingInterval { Upper = 0, Change = -1 },
                new ScalingInterval { Lower = 1, Change = 1 },
                new ScalingInterval { Lower = 50, Change = 3 },
            ],
            Cooldown = Duration.Minutes(1),
        });
        scaling.ScaleOnSchedule("ReconcileHourly", new ScalingSchedule
        {
            Schedule = Schedule.Cron(new CronOptions { Minute = "0" }),
            MinCapacity = 1,
        });
        scaling.ScaleOnSchedule("IdleAfterReconciling", new ScalingSchedule
        {
            Schedule = Schedule.Cron(new CronOptions { Minute = "10" }),
            MinCapacity = 0,
        });
    }

    private static void AddEndpoints(Vpc vpc, SubnetSelection subnets)
    {
        // S3 through a gateway endpoint: free, and the image layers come from S3 too.
        vpc.AddGatewayEndpoint("S3", new GatewayVpcEndpointOptions { Service = GatewayVpcEndpointAwsService.S3, Subnets = [subnets] });
        foreach (var service in InterfaceEndpoints)
        {
            vpc.AddInterfaceEndpoint(EndpointId(service), new InterfaceVpcEndpointOptions
            {
                Service = new InterfaceVpcEndpointAwsService(service),
                Subnets = subnets,
                PrivateDnsEnabled = true,
            });
        }
    }

    private void AddOptionalNatGateway(Vpc vpc, CfnParameter enabled)
    {
        var withNat = new CfnCondition(this, "WithNatGateway", new CfnConditionProps { Expression = Fn.ConditionEquals(enabled.ValueAsString, "true") });
        var address = new CfnEIP(this, "NatAddress", new CfnEIPProps { Domain = "vpc" });
        address.CfnOptions.Condition = withNat;
        var nat = new CfnNatGateway(this, "NatGateway", new CfnNatGatewayProps
        {
            SubnetId = vpc.PublicSubnets[0].SubnetId,
            AllocationId = address.AttrAllocationId,
        });
        nat.CfnOptions.Condition = withNat;
        for (var i = 0; i < vpc.IsolatedSubnets.Length; i++)
        {
            var route = new CfnRoute(this, $"NatRoute{i + 1}", new CfnRouteProps
            {
                RouteTableId = vpc.IsolatedSubnets[i].RouteTable.RouteTableId,
                DestinationCidrBlock = "0.0.0.0/0",
                NatGatewayId = nat.Ref,
            });
            route.CfnOptions.Condition = withNat;
        }
    }

    private static string EndpointId(string service) => string.Concat(service.Split('.').Select(RegistryStack.Capitalized));

    private static void Allow(IRole role, string sid, string[] actions, string resource) =>
        role.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = sid,
            Effect = Effect.ALLOW,
            Actions = actions,
            Resources = [resource],
        }));

    private static Dictionary<string, string> Merge(params Dictionary<string, string>[] parts) =>
        parts.SelectMany(p => p).ToDictionary(p => p.Key, p => p.Value);
}
