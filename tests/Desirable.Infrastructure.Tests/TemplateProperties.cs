namespace Desirable.Infrastructure.Tests;

/// <summary>Template fragments written as (key, value) pairs, the shape <c>Amazon.CDK.Assertions</c> matches against.</summary>
internal static class TemplateProperties
{
    public static Dictionary<string, object> Props(params (string Key, object Value)[] entries) =>
        entries.ToDictionary(e => e.Key, e => e.Value);
}
