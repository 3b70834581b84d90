namespace Desirable.Infrastructure;

/// <summary>The Monitoring stack's output keys (see <see cref="MediaOutputs"/> for why they are a contract).</summary>
public static class MonitoringOutputs
{
    public const string AlarmTopicArn = "AlarmTopicArn";
    public const string DashboardName = "DashboardName";
}
