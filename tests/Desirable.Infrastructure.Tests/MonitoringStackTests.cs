using Amazon.CDK.Assertions;
using Desirable.Contracts;
using static Desirable.Infrastructure.Tests.TemplateProperties;

namespace Desirable.Infrastructure.Tests;

/// <summary>The Monitoring stack: the alarms the issue names, where they go, the budget, and what feeds them.</summary>
[Collection(SynthesizedStageGroup.Name)]
public sealed class MonitoringStackTests(SynthesizedStage stage)
{
    private static readonly Dictionary<string, object> ToTheAlarmTopic = Props(("AlarmActions", new object[] { Props(("Ref", Match.StringLikeRegexp("^AlarmTopic"))) }));

    [Fact]
    public void TheApiErrorRateAlarmsAboveFivePercentOfResponses() =>
        stage.Monitoring.HasResourceProperties("AWS::CloudWatch::Alarm", Match.ObjectLike(Props(
            ("AlarmName", "desirable-alice-api-error-rate"),
            ("Threshold", MonitoringStack.ErrorRatePercent),
            ("AlarmActions", Match.AnyValue()),
            ("Metrics", Match.ArrayWith([Match.ObjectLike(Props(("Expression", "100 * (targetErrors + edgeErrors) / MAX([requests, 1])")))])))));

    [Fact]
    public void TheP99LatencyAlarmsAboveTwoSeconds() =>
        stage.Monitoring.HasResourceProperties("AWS::CloudWatch::Alarm", Match.ObjectLike(Props(
            ("AlarmName", "desirable-alice-api-latency-p99"),
            ("MetricName", "TargetResponseTime"), ("ExtendedStatistic", "p99"), ("Threshold", MonitoringStack.P99LatencySeconds),
            ("Dimensions", new object[] { Props(("Name", "LoadBalancer"), ("Value", Props(("Ref", ApiOutputs.LoadBalancerFullName)))) }))));

    [Fact]
    public void AnyJobInTheDeadLetterQueueAlarms() =>
        stage.Monitoring.HasResourceProperties("AWS::CloudWatch::Alarm", Match.ObjectLike(Props(
            ("MetricName", "ApproximateNumberOfMessagesVisible"), ("Threshold", 0), ("ComparisonOperator", "GreaterThanThreshold"),
            ("Dimensions", new object[] { Props(("Name", "QueueName"), ("Value", Props(("Ref", MediaOutputs.DeadLetterQueueName)))) }))));

    [Fact]
    public void ProcessingFailuresAreCountedFromTheProcessorsLogAndAlarmAboveTheStagesThreshold()
    {
        stage.Monitoring.HasResourceProperties("AWS::Logs::MetricFilter", Props(
            ("FilterPattern", $"{{ $.EventId = {ProcessorLogEvents.ItemFailed} }}"),
            ("LogGroupName", Props(("Ref", ApiOutputs.ProcessorLogGroupName))),
            ("MetricTransformations", new object[] { Props(("MetricName", "ProcessingFailures"), ("MetricNamespace", "Desirable/alice"), ("MetricValue", "1"), ("Unit", "Count")) })));
        stage.Monitoring.HasResourceProperties("AWS::CloudWatch::Alarm", Match.ObjectLike(Props(
            ("MetricName", "ProcessingFailures"), ("Namespace", "Desirable/alice"), ("Threshold", Props(("Ref", "ProcessingFailuresPerHour"))), ("Period", 3600))));
    }

    [Fact]
    public void ProcessingTimesAreMeasuredFromTheProcessorsLog() =>
        stage.Monitoring.HasResourceProperties("AWS::Logs::MetricFilter", Props(
            ("FilterPattern", $"{{ $.EventId = {ProcessorLogEvents.ItemReady} }}"),
            ("MetricTransformations", new object[] { Props(("MetricName", "ProcessingTime"), ("MetricNamespace", "Desirable/alice"), ("MetricValue", "$.State.ElapsedMs"), ("Unit", "Milliseconds")) })));

    [Fact]
    public void EveryAlarmGoesToTheAlarmTopicWhichMailsTheStagesAddressIfGiven()
    {
        var alarms = stage.Monitoring.FindResources("AWS::CloudWatch::Alarm");
        Assert.Equal(4, alarms.Count);
        stage.Monitoring.AllResourcesProperties("AWS::CloudWatch::Alarm", ToTheAlarmTopic);
        stage.Monitoring.AllResourcesProperties("AWS::CloudWatch::Alarm", Props(("AlarmName", Match.StringLikeRegexp("^desirable-alice-[a-z0-9-]+$"))));
        stage.Monitoring.HasResource("AWS::SNS::Subscription", Props(("Condition", "WithAlarmEmail"), ("Properties", Match.ObjectLike(Props(("Protocol", "email"), ("Endpoint", Props(("Ref", "AlarmEmail"))))))));
        stage.Monitoring.HasParameter("AlarmEmail", Props(("Default", "")));
    }

    [Fact]
    public void TheStageHasAMonthlyBudgetThatAlertsAtItsThresholdAndOnForecast()
    {
        stage.Monitoring.HasResourceProperties("AWS::Budgets::Budget", Props(
            ("Budget", Match.ObjectLike(Props(
                ("BudgetType", "COST"), ("TimeUnit", "MONTHLY"),
                ("BudgetLimit", Props(("Amount", Props(("Ref", "MonthlyBudgetUsd"))), ("Unit", "USD"))),
                ("CostFilters", Props(("TagKeyValue", new object[] { "user:desirable:stage$alice" })))))),
            ("NotificationsWithSubscribers", new object[]
            {
                Match.ObjectLike(Props(("Notification", Match.ObjectLike(Props(("NotificationType", "ACTUAL"), ("Threshold", Props(("Ref", "BudgetAlertPercent")))))))),
                Match.ObjectLike(Props(("Notification", Match.ObjectLike(Props(("NotificationType", "FORECASTED"), ("Threshold", 100)))))),
            })));
        stage.Monitoring.HasResourceProperties("AWS::SNS::TopicPolicy", Props(("PolicyDocument", Props(("Statement", Match.ArrayWith(
        [
            Match.ObjectLike(Props(("Principal", Props(("Service", "budgets.amazonaws.com"))), ("Action", "sns:Publish"))),
        ]))))));
    }

    [Fact]
    public void TheDashboardShowsTheSeedsMeasures()
    {
        var body = System.Text.Json.JsonSerializer.Serialize(stage.Monitoring.FindResources("AWS::CloudWatch::Dashboard").Values.Single());
        foreach (var measure in new[] { "TargetResponseTime", "HTTPCode_Target_5XX_Count", "ProcessingTime", "ProcessingFailures", "BucketSizeBytes", "ApproximateNumberOfMessagesVisible", "CPUUtilization" })
        {
            Assert.Contains(measure, body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void EveryParameterWithoutADefaultIsWhatAnotherStackGives()
    {
        var earlier = stage.Media.FindOutputs("*").Keys.Concat(stage.Api.FindOutputs("*").Keys).ToHashSet();
        var required = stage.Monitoring.FindParameters("*").Where(p => !((IDictionary<string, object>)p.Value).ContainsKey("Default")).Select(p => p.Key).ToList();
        Assert.NotEmpty(required);
        Assert.All(required, name => Assert.Contains(name, earlier));
    }
}
