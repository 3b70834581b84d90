using Amazon.CDK;
using Amazon.CDK.AWS.Budgets;
using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.CloudWatch.Actions;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.KMS;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AWS.SNS;
using Constructs;
using Desirable.Contracts;

namespace Desirable.Infrastructure;

/// <summary>
/// What tells a stage's owners that something is wrong, or costly: a dashboard of the seed's measures (API response
/// times and error rates, media processing times and failures, storage used, the queues), alarms on the 5xx rate, p99
/// latency, jobs in the dead-letter queue and processing failures, and a monthly budget, all to one alarm topic with an
/// optional e-mail subscription.
/// </summary>
/// <remarks>
/// Processing times and failures come from the processor's own log (one JSON object per line; see
/// <see cref="ProcessorLogEvents"/>), counted by metric filters, so they need nothing running besides the processor.
/// </remarks>
public sealed class MonitoringStack : Stack
{
    private readonly StageName _stage;

    /// <summary>Where the metric filters put what they count: Desirable/{stage}.</summary>
    public static string MetricNamespace(StageName stage) => $"Desirable/{stage}";

    public const double ErrorRatePercent = 5;

    public const double P99LatencySeconds = 2;

    public MonitoringStack(Construct scope, string id, StageSettings settings)
        : base(scope, id, DesirableStacks.PropsFor(settings, id, "dashboard, alarms, budget"))
    {
        var stage = _stage = settings.Stage;
        var loadBalancer = DesirableStacks.Input(this, ApiOutputs.LoadBalancerFullName, "The load balancer's name in its metrics (Api stack).");
        var processorLogs = DesirableStacks.Input(this, ApiOutputs.ProcessorLogGroupName, "The processor's log group (Api stack).");
        var cluster = DesirableStacks.Input(this, ApiOutputs.ClusterName, "The ECS cluster (Api stack).");
        var bucketName = DesirableStacks.Input(this, MediaOutputs.BucketName, "The media bucket (Media stack).");
        var jobQueueName = DesirableStacks.Input(this, MediaOutputs.JobQueueName, "The job queue (Media stack).");
        var deadLetterQueueName = DesirableStacks.Input(this, MediaOutputs.DeadLetterQueueName, "The dead-letter queue (Media stack).");
        var email = new CfnParameter(this, "AlarmEmail", new CfnParameterProps
        {
            Type = "String",
            Default = "",
            AllowedPattern = "^$|^[^@\\s]+@[^@\\s]+$",
            ConstraintDescription = "an e-mail address, or nothing",
            Description = "Who receives alarms and budget alerts by e-mail (AWS asks the address to confirm). Empty: nobody.",
        });
        var budget = new CfnParameter(this, "MonthlyBudgetUsd", new CfnParameterProps
        {
            Type = "Number",
            Default = 200,
            MinValue = 1,
            Description = "The stage's monthly budget in US dollars (costs tagged desirable:stage with this stage).",
        });
        var budgetAlert = new CfnParameter(this, "BudgetAlertPercent", new CfnParameterProps
        {
            Type = "Number",
            Default = 80,
            MinValue = 1,
            MaxValue = 1000,
            Description = "Alert when the month's actual cost passes this share of the budget, or is forecast to pass all of it.",
        });
        var failureThreshold = new CfnParameter(this, "ProcessingFailuresPerHour", new CfnParameterProps
        {
            Type = "Number",
            Default = 20,
            MinValue = 1,
            Description = "Alarm when more items than this fail processing within an hour (single bad files fail as they should).",
        });

        var topic = new Topic(this, "AlarmTopic", new TopicProps
        {
            TopicName = $"desirable-{stage}-alarms",
            // The stage's key, whose policy lets CloudWatch alarms and AWS Budgets use it: neither may publish to a topic
            // under SNS's AWS-managed key, and their alerts would be lost without a word.
            MasterKey = Key.FromKeyArn(this, "StageKey", DesirableStacks.Input(this, MediaOutputs.StageKeyArn, "The stage's KMS key (Media stack).").ValueAsString),
        });
        // AWS Budgets publishes its alerts to the same topic.
        topic.AddToResourcePolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "BudgetAlerts",
            Effect = Effect.ALLOW,
            Principals = [new ServicePrincipal("budgets.amazonaws.com")],
            Actions = ["sns:Publish"],
            Resources = [topic.TopicArn],
            Conditions = new Dictionary<string, object> { ["StringEquals"] = new Dictionary<string, object> { ["aws:SourceAccount"] = Aws.ACCOUNT_ID } },
        }));
        var withEmail = new CfnCondition(this, "WithAlarmEmail", new CfnConditionProps { Expression = Fn.ConditionNot(Fn.ConditionEquals(email.ValueAsString, "")) });
        var subscription = new CfnSubscription(this, "AlarmEmailSubscription", new CfnSubscriptionProps
        {
            TopicArn = topic.TopicArn,
            Protocol = "email",
            Endpoint = email.ValueAsString,
        });
        subscription.CfnOptions.Condition = withEmail;

        // Processing, from the processor's log.
        var processorLogGroup = LogGroup.FromLogGroupName(this, "ProcessorLogs", processorLogs.ValueAsString);
        LogMetric(processorLogGroup, "ProcessingTime", ProcessorLogEvents.ItemReady, "$.State.ElapsedMs", Unit.MILLISECONDS);
        LogMetric(processorLogGroup, "ProcessingFailures", ProcessorLogEvents.ItemFailed, "1", Unit.COUNT);
        Metric ProcessorMetric(string name, string statistic) => new(new MetricProps
        {
            Namespace = MetricNamespace(_stage),
            MetricName = name,
            Statistic = statistic,
            Period = Duration.Minutes(5),
        });

        // The API, as the load balancer sees it.
        Metric Alb(string name, string statistic) => new(new MetricProps
        {
            Namespace = "AWS/ApplicationELB",
            MetricName = name,
            DimensionsMap = new Dictionary<string, string> { ["LoadBalancer"] = loadBalancer.ValueAsString },
            Statistic = statistic,
            Period = Duration.Minutes(5),
        });
        var errorRate = new MathExpression(new MathExpressionProps
        {
            Expression = "100 * (targetErrors + edgeErrors) / MAX([requests, 1])",
            UsingMetrics = new Dictionary<string, IMetric>
            {
                ["targetErrors"] = Alb("HTTPCode_Target_5XX_Count", "Sum"),
                ["edgeErrors"] = Alb("HTTPCode_ELB_5XX_Count", "Sum"),
                ["requests"] = Alb("RequestCount", "Sum"),
            },
            Label = "5xx responses (%)",
            Period = Duration.Minutes(5),
        });
        Metric Sqs(CfnParameter queue, string name) => new(new MetricProps
        {
            Namespace = "AWS/SQS",
            MetricName = name,
            DimensionsMap = new Dictionary<string, string> { ["QueueName"] = queue.ValueAsString },
            Statistic = "Maximum",
            Period = Duration.Minutes(5),
        });

        var action = new SnsAction(topic);
        Alarm("ApiErrorRate", "api-error-rate", errorRate, ErrorRatePercent, 2, $"More than {ErrorRatePercent}% of API responses were server errors (5xx) for 10 minutes.", action);
        Alarm("ApiLatencyP99", "api-latency-p99", Alb("TargetResponseTime", "p99"), P99LatencySeconds, 3, $"The slowest 1% of API responses took longer than {P99LatencySeconds} s for 15 minutes.", action);
        Alarm("JobsDeadLettered", "jobs-dead-lettered", Sqs(deadLetterQueueName, "ApproximateNumberOfMessagesVisible"), 0, 1,
            "Processing jobs failed every attempt and wait in the dead-letter queue; fix the cause, then redrive them.", action);
        Alarm("ProcessingFailures", "processing-failures", ProcessorMetric("ProcessingFailures", "Sum").With(new MetricOptions { Period = Duration.Hours(1) }),
            failureThreshold.ValueAsNumber, 1, "Unusually many items failed processing within an hour.", action);

        _ = new Dashboard(this, "Dashboard", new DashboardProps
        {
            DashboardName = $"desirable-{stage}",
            Widgets =
            [
                [
                    Graph("API requests and server errors", [Alb("RequestCount", "Sum")], [errorRate]),
                    Graph("API response time", [Alb("TargetResponseTime", "p50"), Alb("TargetResponseTime", "p99")]),
                ],
                [
                    Graph("Media processing time (ms)", [ProcessorMetric("ProcessingTime", "p50"), ProcessorMetric("ProcessingTime", "p99")]),
                    Graph("Items processed and failed", [ProcessorMetric("ProcessingTime", "SampleCount").With(new MetricOptions { Label = "Ready" }), ProcessorMetric("ProcessingFailures", "Sum").With(new MetricOptions { Label = "Failed" })]),
                ],
                [
                    Graph("Job queues", [Sqs(jobQueueName, "ApproximateNumberOfMessagesVisible"), Sqs(jobQueueName, "ApproximateNumberOfMessagesNotVisible"), Sqs(deadLetterQueueName, "ApproximateNumberOfMessagesVisible")]),
                    Graph("Storage used", [StorageMetric(bucketName, "BucketSizeBytes", "StandardStorage"), StorageMetric(bucketName, "BucketSizeBytes", "IntelligentTieringFAStorage")],
                        [StorageMetric(bucketName, "NumberOfObjects", "AllStorageTypes")]),
                ],
                [
                    Graph("Service CPU (%)", [.. RegistryStack.Services.Select(s => Ecs(cluster, s, "CPUUtilization"))]),
                    Graph("Service memory (%)", [.. RegistryStack.Services.Select(s => Ecs(cluster, s, "MemoryUtilization"))]),
                ],
            ],
        });

        // Costs of resources tagged with this stage (activate the desirable:stage cost allocation tag once per account).
        _ = new CfnBudget(this, "Budget", new CfnBudgetProps
        {
            Budget = new CfnBudget.BudgetDataProperty
            {
                BudgetName = $"desirable-{stage}",
                BudgetType = "COST",
                TimeUnit = "MONTHLY",
                BudgetLimit = new CfnBudget.SpendProperty { Amount = budget.ValueAsNumber, Unit = "USD" },
                CostFilters = new Dictionary<string, object> { ["TagKeyValue"] = new[] { $"user:desirable:stage${stage}" } },
            },
            NotificationsWithSubscribers = new object[]
            {
                BudgetAlert("ACTUAL", budgetAlert.ValueAsNumber, topic.TopicArn),
                BudgetAlert("FORECASTED", 100, topic.TopicArn),
            },
        });

        DesirableStacks.Output(this, MonitoringOutputs.AlarmTopicArn, topic.TopicArn, "Where alarms and budget alerts go.");
        DesirableStacks.Output(this, MonitoringOutputs.DashboardName, $"desirable-{stage}", "The stage's CloudWatch dashboard.");
    }

    private void LogMetric(ILogGroup logGroup, string name, int eventId, string value, Unit unit) =>
        _ = new MetricFilter(this, $"{name}Filter", new MetricFilterProps
        {
            LogGroup = logGroup,
            FilterPattern = FilterPattern.NumberValue("$.EventId", "=", eventId),
            MetricNamespace = MetricNamespace(_stage),
            MetricName = name,
            MetricValue = value,
            Unit = unit,
        });

    private void Alarm(string id, string name, IMetric metric, double threshold, int periods, string description, IAlarmAction action)
    {
        var alarm = new Alarm(this, id, new AlarmProps
        {
            AlarmName = $"desirable-{_stage}-{name}",
            AlarmDescription = description,
            Metric = metric,
            Threshold = threshold,
            ComparisonOperator = ComparisonOperator.GREATER_THAN_THRESHOLD,
            EvaluationPeriods = periods,
            TreatMissingData = TreatMissingData.NOT_BREACHING,
        });
        alarm.AddAlarmAction(action);
    }

    private static GraphWidget Graph(string title, IMetric[] left, IMetric[]? right = null) => new(new GraphWidgetProps
    {
        Title = title,
        Left = left,
        Right = right ?? [],
        Width = 12,
    });

    private static Metric StorageMetric(CfnParameter bucket, string name, string storageType) => new(new MetricProps
    {
        Namespace = "AWS/S3",
        MetricName = name,
        DimensionsMap = new Dictionary<string, string> { ["BucketName"] = bucket.ValueAsString, ["StorageType"] = storageType },
        Statistic = "Average",
        // S3 reports storage once a day.
        Period = Duration.Days(1),
    });

    private static Metric Ecs(CfnParameter cluster, string service, string name) => new(new MetricProps
    {
        Namespace = "AWS/ECS",
        MetricName = name,
        DimensionsMap = new Dictionary<string, string> { ["ClusterName"] = cluster.ValueAsString, ["ServiceName"] = service },
        Statistic = "Average",
        Period = Duration.Minutes(5),
        Label = service,
    });

    private static CfnBudget.NotificationWithSubscribersProperty BudgetAlert(string type, double percent, string topicArn) => new()
    {
        Notification = new CfnBudget.NotificationProperty
        {
            NotificationType = type,
            ComparisonOperator = "GREATER_THAN",
            Threshold = percent,
            ThresholdType = "PERCENTAGE",
        },
        Subscribers = new object[] { new CfnBudget.SubscriberProperty { SubscriptionType = "SNS", Address = topicArn } },
    };
}
