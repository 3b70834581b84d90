using Aspire.Hosting.ApplicationModel;

namespace Desirable.Hosting.Aws;

/// <summary>
/// What stands behind AWS in the running mode: an emulator (embedded, containers) or the developer's account (aws),
/// and the stage's stacks on it. Services reach both through <see cref="AwsResourcesExtensions.WithAws"/>.
/// </summary>
public sealed record AwsResources
{
    /// <summary>fauxqs, Floci or LocalStack; null in aws mode.</summary>
    public IResourceBuilder<IAwsEmulatorResource>? Emulator { get; init; }

    /// <summary>The account and stage; only in aws mode.</summary>
    public IResourceBuilder<AwsAccountResource>? Account { get; init; }

    /// <summary>The bucket, queues and topic (the Media stack).</summary>
    public required IResourceBuilder<AwsStackResource> Media { get; init; }

    /// <summary>The catalog's database and its secret (the Database stack); only in aws mode.</summary>
    public IResourceBuilder<AwsStackResource>? Database { get; init; }

    /// <summary>The Auth0 settings (the Auth stack); only in aws mode with Auth0.</summary>
    public IResourceBuilder<AwsStackResource>? Auth { get; init; }

    /// <summary>Adds another stack of the stage, provisioned like the others; only in aws mode.</summary>
    internal Func<string, IResourceBuilder<AwsStackResource>>? AddStageStack { get; init; }
}

public static class AwsResourcesExtensions
{
    /// <summary>
    /// AWS settings for a service (the emulator's endpoint and credentials, or the account's profile and region), and
    /// the Media stack's outputs; the service starts once the stack is provisioned.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithAws(this IResourceBuilder<ProjectResource> service, AwsResources aws)
    {
        ArgumentNullException.ThrowIfNull(aws);
        if (aws.Emulator is { } emulator)
        {
            service.WithReference(emulator).WaitFor(emulator);
        }

        if (aws.Account is { } account)
        {
            service.WithReference(account);
        }

        return service.WithReference(aws.Media);
    }
}
