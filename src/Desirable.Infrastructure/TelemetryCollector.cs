using Amazon.CDK;
using Amazon.CDK.AWS.ECS;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Logs;

namespace Desirable.Infrastructure;

/// <summary>
/// The OpenTelemetry collector each task runs beside its service (the AWS Distro for OpenTelemetry): the service exports
/// over OTLP to localhost, as it exports to the Aspire dashboard on a laptop, and the collector sends traces to X-Ray and
/// Desirable's own metrics (<c>desirable.*</c>) to CloudWatch as embedded metric format records. Logs stay on the
/// console, which the awslogs driver takes to CloudWatch Logs.
/// </summary>
/// <remarks>
/// The tasks have no route to the internet, so the image comes through the Registry stack's pull-through cache of ECR
/// Public, by the pinned version below.
/// </remarks>
public static class TelemetryCollector
{
    /// <summary>The collector's image in ECR Public, under the registry's cache prefix.</summary>
    public const string Image = "aws-observability/aws-otel-collector";

    /// <summary>Pinned: a new collector is a reviewed change, not whatever <c>latest</c> is on the day of a deploy.</summary>
    public const string Version = "v0.49.0";

    /// <summary>The collector's OTLP (gRPC) address inside the task; only the task's own containers reach it.</summary>
    public const string OtlpEndpoint = "http://127.0.0.1:4317";

    /// <summary>The log group the collector writes metric records to; CloudWatch turns them into metrics.</summary>
    public static string MetricsLogGroupName(StageName stage) => $"/desirable/{stage}/metrics";

    /// <summary>
    /// The collector's configuration. Only Desirable's own meters become CloudWatch metrics (each costs money per
    /// dimension set), by service and by the attributes the dashboard and alarms group them by.
    /// </summary>
    public static string Configuration(StageName stage)
    {
        ArgumentNullException.ThrowIfNull(stage);
        return $$"""
            extensions:
              health_check:
                endpoint: 127.0.0.1:13133
            receivers:
              otlp:
                protocols:
                  grpc:
                    endpoint: 127.0.0.1:4317
            processors:
              resourcedetection:
                detectors: [env, ecs]
              batch/traces:
                timeout: 1s
                send_batch_size: 50
              batch/metrics:
                timeout: 60s
            exporters:
              awsxray: {}
              awsemf:
                namespace: {{MonitoringStack.MetricNamespace(stage)}}
                log_group_name: {{MetricsLogGroupName(stage)}}
                log_stream_name: '{TaskId}'
                dimension_rollup_option: NoDimensionRollup
                resource_to_telemetry_conversion:
                  enabled: true
                metric_declarations:
                  - dimensions:
                      - [service.name]
                      - [service.name, desirable.media.kind, desirable.processing.outcome]
                      - [service.name, desirable.upload.refusal]
                    metric_name_selectors:
                      - '^desirable\.'
            service:
              extensions: [health_check]
              pipelines:
                traces:
                  receivers: [otlp]
                  processors: [resourcedetection, batch/traces]
                  exporters: [awsxray]
                metrics:
                  receivers: [otlp]
                  processors: [resourcedetection, batch/metrics]
                  exporters: [awsemf]
            """;
    }

    /// <summary>
    /// Adds the collector to <paramref name="task"/>, lets its task role write traces and metric records and nothing else,
    /// and points <paramref name="service"/>'s exporter at it.
    /// </summary>
    public static void AddTo(FargateTaskDefinition task, ContainerDefinition service, StageName stage, ILogGroup logs)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(service);
        var collector = task.AddContainer("otel-collector", new ContainerDefinitionOptions
        {
            Image = ContainerImage.FromRegistry($"{Aws.ACCOUNT_ID}.dkr.ecr.{Aws.REGION}.{Aws.URL_SUFFIX}/{RegistryStack.CachePrefix(stage)}/{Image}:{Version}"),
            Environment = new Dictionary<string, string> { ["AOT_CONFIG_CONTENT"] = Configuration(stage) },
            // Telemetry is worth having, not worth stopping the service for.
            Essential = false,
            Cpu = 64,
            MemoryReservationMiB = 64,
            Logging = LogDriver.AwsLogs(new AwsLogDriverProps { LogGroup = logs, StreamPrefix = "otel-collector" }),
            HealthCheck = new Amazon.CDK.AWS.ECS.HealthCheck { Command = ["CMD", "/healthcheck"], Interval = Duration.Seconds(30), StartPeriod = Duration.Seconds(10) },
        });
        service.AddContainerDependencies(new ContainerDependency { Container = collector, Condition = ContainerDependencyCondition.START });
        service.AddEnvironment("OTEL_EXPORTER_OTLP_ENDPOINT", OtlpEndpoint);
        service.AddEnvironment("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc");
        service.AddEnvironment("OTEL_SERVICE_NAME", service.ContainerName);
        service.AddEnvironment("OTEL_RESOURCE_ATTRIBUTES", $"deployment.environment.name={stage}");
        service.AddEnvironment("OTEL_LOGS_EXPORTER", "none");

        // X-Ray grants these only on every resource.
        task.TaskRole.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "Traces",
            Effect = Effect.ALLOW,
            Actions = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
            Resources = ["*"],
        }));
        task.TaskRole.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "MetricRecords",
            Effect = Effect.ALLOW,
            Actions = ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
            Resources = [$"arn:{Aws.PARTITION}:logs:{Aws.REGION}:{Aws.ACCOUNT_ID}:log-group:{MetricsLogGroupName(stage)}:log-stream:*"],
        }));

        // The first pull of the collector through the cache creates its repository and imports the image.
        task.ObtainExecutionRole().AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "CachedCollectorImage",
            Effect = Effect.ALLOW,
            Actions = ["ecr:CreateRepository", "ecr:BatchImportUpstreamImage", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"],
            Resources = [$"arn:{Aws.PARTITION}:ecr:{Aws.REGION}:{Aws.ACCOUNT_ID}:repository/{RegistryStack.CachePrefix(stage)}/{Image}"],
        }));
    }
}
