using Amazon.Runtime;
using Amazon.S3;
using Amazon.SQS;
using Amazon.SQS.Model;
using Aspire.Hosting.ApplicationModel;
using Desirable.AppHost.Aws;
using Microsoft.Extensions.Logging.Abstractions;

namespace Desirable.AppHost.Tests;

/// <summary>The AppHost's bucket and queue provisioning against a real fauxqs process.</summary>
public sealed class AwsProvisionerTests : IAsyncLifetime
{
    private readonly string _s3Directory = Directory.CreateTempSubdirectory("desirable-provision-").FullName;
    private FauxqsEmulator _emulator = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() =>
        _emulator = await FauxqsEmulator.StartAsync(_s3Directory, Ct);

    [Fact]
    public async Task CreatesDeclaredBucketsAndQueuesAndRunsAgainWithoutHarm()
    {
        var resource = new FauxqsResource("aws", "node", ".");
        resource.Annotations.Add(new AwsBucketAnnotation("provisioned-media"));
        resource.Annotations.Add(new AwsQueueAnnotation("provisioned-jobs", new Dictionary<string, string> { ["VisibilityTimeout"] = "45" }));

        await AwsProvisioner.ProvisionAsync(_emulator.ServiceUrl, "us-east-1", resource, NullLogger.Instance, Ct);
        await AwsProvisioner.ProvisionAsync(_emulator.ServiceUrl, "us-east-1", resource, NullLogger.Instance, Ct);

        using var s3 = EmulatorClients.S3(_emulator.ServiceUrl);
        var buckets = await s3.ListBucketsAsync(Ct);
        Assert.Contains(buckets.Buckets ?? [], b => b.BucketName == "provisioned-media");
        var lifecycle = await s3.GetLifecycleConfigurationAsync("provisioned-media", Ct);
        Assert.Contains(lifecycle.Configuration.Rules, r => r.AbortIncompleteMultipartUpload?.DaysAfterInitiation == 1);

        using var sqs = EmulatorClients.Sqs(_emulator.ServiceUrl);
        var queueUrl = (await sqs.GetQueueUrlAsync("provisioned-jobs", Ct)).QueueUrl;
        var attributes = await sqs.GetQueueAttributesAsync(new GetQueueAttributesRequest
        {
            QueueUrl = queueUrl,
            AttributeNames = ["VisibilityTimeout"],
        }, Ct);
        Assert.Equal("45", attributes.Attributes["VisibilityTimeout"]);
    }

    [Fact]
    public async Task CreatesARedrivePolicyTopicsAndSubscriptionsThatDeliver()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var resource = new FauxqsResource("aws", "node", ".");
        resource.Annotations.Add(new AwsQueueAnnotation($"dlq-{suffix}", new Dictionary<string, string>()));
        resource.Annotations.Add(new AwsQueueAnnotation($"jobs-{suffix}", new Dictionary<string, string>(), $"dlq-{suffix}", 4));
        resource.Annotations.Add(new AwsQueueAnnotation($"audit-{suffix}", new Dictionary<string, string>()));
        resource.Annotations.Add(new AwsTopicAnnotation($"events-{suffix}"));
        resource.Annotations.Add(new AwsSubscriptionAnnotation($"events-{suffix}", $"audit-{suffix}"));

        await AwsProvisioner.ProvisionAsync(_emulator.ServiceUrl, "us-east-1", resource, NullLogger.Instance, Ct);
        await AwsProvisioner.ProvisionAsync(_emulator.ServiceUrl, "us-east-1", resource, NullLogger.Instance, Ct);

        using var sqs = EmulatorClients.Sqs(_emulator.ServiceUrl);
        var jobs = (await sqs.GetQueueUrlAsync($"jobs-{suffix}", Ct)).QueueUrl;
        var redrive = System.Text.Json.JsonDocument.Parse((await sqs.GetQueueAttributesAsync(jobs, ["RedrivePolicy"], Ct)).Attributes["RedrivePolicy"]).RootElement;
        Assert.EndsWith($":dlq-{suffix}", redrive.GetProperty("deadLetterTargetArn").GetString(), StringComparison.Ordinal);
        Assert.Equal("4", redrive.GetProperty("maxReceiveCount").ToString());

        var sns = EmulatorClients.Sns(_emulator.ServiceUrl);
        await sns.PublishAsync(AwsEmulatorDefaults.TopicArn($"events-{suffix}"), "{\"ping\":1}", cancellationToken: Ct);
        var audit = (await sqs.GetQueueUrlAsync($"audit-{suffix}", Ct)).QueueUrl;
        var received = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = audit, WaitTimeSeconds = 5 }, Ct);
        // Raw delivery, exactly once even though provisioning ran twice.
        Assert.Equal("{\"ping\":1}", Assert.Single(received.Messages).Body);
    }

    public async ValueTask DisposeAsync()
    {
        await _emulator.DisposeAsync();
        Directory.Delete(_s3Directory, recursive: true);
    }
}
