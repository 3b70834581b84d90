using Aspire.Hosting.ApplicationModel;
using Desirable.Aws;
using Desirable.Aws.SecretsManager;
using Desirable.Hosting.Aws.Cloud;
using Microsoft.Extensions.Logging;

namespace Aspire.Hosting;

public static class AwsCloudBuilderExtensions
{
    public const string DeleteStageCommand = "delete-stage";

    /// <summary>Adds the AWS account and stage the aws mode provisions into; the dashboard shows them.</summary>
    public static IResourceBuilder<AwsAccountResource> AddAwsAccount(this IDistributedApplicationBuilder builder, [ResourceName] string name, AwsAccountSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var properties = new List<ResourcePropertySnapshot>
        {
            new("desirable.aws.stage", settings.StageValue),
            new("desirable.aws.profile", settings.Profile ?? "(default chain)"),
            new("desirable.aws.region", settings.Region ?? "(the profile's)"),
            new("desirable.aws.disposable", settings.Disposable.ToString()),
        };
        if (settings.StageError is { } error)
        {
            properties.Add(new("desirable.aws.error", error));
        }

        var resource = new AwsAccountResource(name, settings);
        return builder.AddResource(resource)
            .WithIconName("Cloud")
            .ExcludeFromManifest()
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "AWS account",
                State = settings.StageError is null
                    ? new ResourceStateSnapshot(KnownResourceStates.Running, KnownResourceStateStyles.Success)
                    : new ResourceStateSnapshot(KnownResourceStates.FailedToStart, KnownResourceStateStyles.Error),
                Properties = [.. properties],
            })
            .WithCommand(DeleteStageCommand, "Delete stage", async context =>
                {
                    var errors = new List<string>();
                    // The reverse of provisioning: nothing is deleted while something provisioned after it may use it.
                    foreach (var stack in Enumerable.Reverse(resource.Stacks))
                    {
                        if (await AwsStackBuilderExtensions.DeleteStackAsync(stack, context.Services, context.CancellationToken) is { } error)
                        {
                            errors.Add(error);
                        }
                    }

                    return errors.Count == 0
                        ? CommandResults.Success($"Every stack of stage {settings.StageValue} is deleted. Retained buckets and clusters stay in the account.")
                        : CommandResults.Failure(string.Join(" ", errors));
                },
                new CommandOptions
                {
                    Description = "Delete every stack of this stage. Retained resources (the bucket, the Atlas cluster) stay with their data.",
                    ConfirmationMessage = $"Delete every stack of stage {settings.StageValue}? Services using them stop working. The bucket and the Atlas cluster are retained unless the stage is disposable.",
                    IconName = "Delete",
                    UpdateState = _ => settings.StageError is null ? ResourceCommandState.Enabled : ResourceCommandState.Disabled,
                })
            .OnInitializeResource((account, e, _) =>
            {
                e.Logger.LogInformation("Provisioning into {Where}.", account.Settings.Description);
                if (account.Settings.StageError is { } stageError)
                {
                    e.Logger.LogError("{Reason} Set it with --Parameters:{Parameter}=<name>.", stageError, AwsAccountSettings.StageParameter);
                }

                return Task.CompletedTask;
            });
    }

    /// <summary>
    /// Gives a service the AWS settings of the account (profile and region, when set; no endpoint override), so its
    /// SDK clients reach the real services with the developer's credentials.
    /// </summary>
    public static IResourceBuilder<T> WithReference<T>(this IResourceBuilder<T> builder, IResourceBuilder<AwsAccountResource> account)
        where T : IResourceWithEnvironment
    {
        ArgumentNullException.ThrowIfNull(account);
        var settings = account.Resource.Settings;
        if (settings.Profile is { } profile)
        {
            builder.WithEnvironment("AWS_PROFILE", profile);
        }

        if (settings.Region is { } region)
        {
            builder.WithEnvironment("AWS_REGION", region);
        }

        return builder.WithReferenceRelationship(account.Resource);
    }

    /// <summary>The catalog of a stage on AWS, from the Database stack's connection string secret.</summary>
    public static IResourceBuilder<CloudCatalogResource> AddCloudCatalog(
        this IDistributedApplicationBuilder builder, [ResourceName] string name, IResourceBuilder<AwsStackResource> database, AwsAccountSettings settings)
    {
        ArgumentNullException.ThrowIfNull(database);
        var options = new Desirable.Aws.Query.AwsQueryClientOptions { Profile = settings.Profile, Region = settings.Region };
        return builder.AddResource(new CloudCatalogResource(name, database.Resource, (arn, ct) => new SecretsManagerClient(new HttpClient(), options).GetSecretStringAsync(arn, ct)))
            .WithIconName("Database")
            .ExcludeFromManifest()
            .WithParentRelationship(database)
            // While the stack has failed, the catalog waits (saying why) so that a Re-provision that succeeds goes on.
            .WaitFor(database, WaitBehavior.WaitOnResourceUnavailable)
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "MongoDB (Secrets Manager)",
                State = KnownResourceStates.NotStarted,
                Properties = [],
            })
            .OnInitializeResource((catalog, e, cancellationToken) =>
            {
                // The app's start must not wait for the stack; only the catalog's dependants do.
                _ = ReadWhenProvisionedAsync(catalog, e, cancellationToken);
                return Task.CompletedTask;
            });
    }

    private static async Task ReadWhenProvisionedAsync(CloudCatalogResource catalog, InitializeResourceEvent e, CancellationToken cancellationToken)
    {
        try
        {
            await e.Notifications.PublishUpdateAsync(catalog, s => s with { State = KnownResourceStates.Waiting });
            await e.Notifications.WaitForDependenciesAsync(catalog, cancellationToken);
            await catalog.ReadConnectionStringAsync(cancellationToken);
            await e.Notifications.PublishUpdateAsync(catalog, s => s with { State = KnownResourceStates.Running, StartTimeStamp = DateTime.UtcNow });
        }
        catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A failed Database stack fails this wait too; its own log says why.
            var reason = error is AwsApiException or AwsConfigurationException or HttpRequestException
                ? $"The catalog's connection string could not be read: {error.Message}"
                : $"The catalog is not available: {error.Message}";
            e.Logger.LogError("{Reason}", reason);
            await e.Notifications.PublishUpdateAsync(catalog, s => s with
            {
                State = new(KnownResourceStates.FailedToStart, KnownResourceStateStyles.Error),
                Properties = [.. s.Properties, new("desirable.catalog.error", reason)],
            });
        }
    }
}
