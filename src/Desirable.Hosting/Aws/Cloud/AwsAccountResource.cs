using Desirable.Hosting.Aws.Cloud;

namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// The AWS account the aws mode provisions into, as a dashboard resource: its profile, region and stage, and the
/// parent of the stage's stacks. There is nothing to run; services get its settings as the standard AWS variables.
/// </summary>
public sealed class AwsAccountResource(string name, AwsAccountSettings settings) : Resource(name)
{
    public AwsAccountSettings Settings { get; } = settings;

    /// <summary>The stage's stacks, in the order they are provisioned.</summary>
    public List<AwsStackResource> Stacks { get; } = [];
}
