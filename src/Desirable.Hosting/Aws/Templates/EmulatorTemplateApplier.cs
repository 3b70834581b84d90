using System.Net;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.SQS;
using Amazon.SQS.Model;
using Aspire.Hosting.ApplicationModel;
using Desirable.Aws.Sns;
using Microsoft.Extensions.Logging;

namespace Desirable.Hosting.Aws.Templates;

/// <summary>
/// Gives an emulator without CloudFormation (fauxqs) exactly the S3, SQS and SNS resources of a synthesized template,
/// through their own APIs, and evaluates the template's outputs as CloudFormation would. Idempotent: applying again
/// creates what is missing and brings attributes, lifecycle and CORS rules to what the template says now.
/// Encryption (the stage's KMS key included), public access blocks and resource policies matter only on AWS (no other
/// account reaches the emulator, and fauxqs keeps none of them); they are left out and logged once.
/// </summary>
public static partial class EmulatorTemplateApplier
{
    /// <summary>Resource types that only mean something on AWS itself (policies the emulators do not enforce).</summary>
    private static readonly HashSet<string> CloudOnlyTypes = new(StringComparer.Ordinal)
    {
        "AWS::S3::BucketPolicy", "AWS::SQS::QueuePolicy", "AWS::SNS::TopicPolicy", "AWS::KMS::Key", "AWS::KMS::Alias",
    };

    private static readonly HashSet<string> SupportedTypes = new(StringComparer.Ordinal)
    {
        "AWS::S3::Bucket", "AWS::SQS::Queue", "AWS::SNS::Topic", "AWS::SNS::Subscription",
    };

    /// <summary>SQS attributes a template's queue may set that the emulators keep (SSE is AWS's alone).</summary>
    private static readonly string[] QueueAttributes =
    [
        "VisibilityTimeout", "MessageRetentionPeriod", "DelaySeconds", "MaximumMessageSize", "ReceiveMessageWaitTimeSeconds",
    ];

    public static async Task<IReadOnlyDictionary<string, string>> ApplyAsync(
        CloudFormationTemplate template,
        string stackName,
        Uri serviceUrl,
        string region,
        IReadOnlyDictionary<string, string>? parameters,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(template);
        var context = new TemplateContext(stackName, region, AwsEmulatorDefaults.AccountId, template.ParameterValues(parameters));
        var credentials = new BasicAWSCredentials(AwsEmulatorDefaults.AccessKeyId, AwsEmulatorDefaults.SecretAccessKey);
        using var s3 = new AmazonS3Client(credentials, new AmazonS3Config { ServiceURL = serviceUrl.ToString(), AuthenticationRegion = region, ForcePathStyle = true });
        using var sqs = new AmazonSQSClient(credentials, new AmazonSQSConfig { ServiceURL = serviceUrl.ToString(), AuthenticationRegion = region });
        using var http = new HttpClient();
        var sns = new SnsClient(http, new SnsClientOptions { ServiceUrl = serviceUrl, Region = region, Credentials = credentials });

        // Refuse a template the emulator cannot fully provide before creating any of it.
        var resources = template.ResourcesInDependencyOrder();
        if (resources.FirstOrDefault(r => !CloudOnlyTypes.Contains(r.Type) && !SupportedTypes.Contains(r.Type)) is { } unsupported)
        {
            throw new TemplateException($"{unsupported.LogicalId} is a {unsupported.Type}, which the emulator cannot provide.");
        }

        var skipped = new List<string>();
        foreach (var resource in resources)
        {
            if (resource.ConditionName is { } condition && !template.Condition(condition, context))
            {
                continue;
            }

            if (CloudOnlyTypes.Contains(resource.Type))
            {
                if (resource.Type == "AWS::KMS::Key")
                {
                    // The emulators accept a key id on queues and topics and encrypt nothing: an id that says so.
                    var keyId = $"emulated-{resource.LogicalId}";
                    context.SetRef(resource.LogicalId, keyId);
                    context.SetAttribute(resource.LogicalId, "Arn", $"arn:aws:kms:{region}:{AwsEmulatorDefaults.AccountId}:key/{keyId}");
                    context.SetAttribute(resource.LogicalId, "KeyId", keyId);
                }

                skipped.Add(resource.LogicalId);
                continue;
            }

            var properties = template.Evaluate(resource.Definition["Properties"], context)?.AsObject() ?? [];
            switch (resource.Type)
            {
                case "AWS::S3::Bucket":
                    await ApplyBucketAsync(s3, resource.LogicalId, properties, context, cancellationToken);
                    break;
                case "AWS::SQS::Queue":
                    await ApplyQueueAsync(sqs, resource.LogicalId, properties, context, cancellationToken);
                    break;
                case "AWS::SNS::Topic":
                    var topicName = Required(properties, "TopicName", resource);
                    var topicArn = await sns.CreateTopicAsync(topicName, cancellationToken);
                    context.SetRef(resource.LogicalId, topicArn);
                    context.SetAttribute(resource.LogicalId, "TopicArn", topicArn);
                    context.SetAttribute(resource.LogicalId, "TopicName", topicName);
                    break;
                case "AWS::SNS::Subscription":
                    // Subscribe is idempotent for the same topic, protocol and endpoint.
                    var attributes = properties["RawMessageDelivery"] is { } raw
                        ? new Dictionary<string, string> { ["RawMessageDelivery"] = raw.ToString().ToLowerInvariant() }
                        : null;
                    var subscription = await sns.SubscribeAsync(
                        Required(properties, "TopicArn", resource), Required(properties, "Protocol", resource), Required(properties, "Endpoint", resource),
                        attributes, cancellationToken);
                    context.SetRef(resource.LogicalId, subscription);
                    break;
                default:
                    throw new TemplateException($"{resource.LogicalId} is a {resource.Type}, which the emulator cannot provide.");
            }

            LogApplied(logger, resource.LogicalId, resource.Type);
        }

        if (skipped.Count > 0)
        {
            LogCloudOnly(logger, string.Join(", ", skipped));
        }

        return template.Outputs.ToDictionary(o => o.Key, o => template.EvaluateString(o.Value, context), StringComparer.Ordinal);
    }

    private static async Task ApplyBucketAsync(AmazonS3Client s3, string logicalId, JsonObject properties, TemplateContext context, CancellationToken cancellationToken)
    {
        var name = properties["BucketName"]?.GetValue<string>() ?? throw new TemplateException($"{logicalId} has no BucketName; the emulator needs one.");
        try
        {
            await s3.PutBucketAsync(new PutBucketRequest { BucketName = name }, cancellationToken);
        }
        catch (AmazonS3Exception e) when (e.ErrorCode is "BucketAlreadyOwnedByYou" or "BucketAlreadyExists" || e.StatusCode == HttpStatusCode.Conflict)
        {
            // There from an earlier run.
        }

        if (properties["LifecycleConfiguration"]?["Rules"] is JsonArray rules)
        {
            await s3.PutLifecycleConfigurationAsync(new PutLifecycleConfigurationRequest
            {
                BucketName = name,
                Configuration = new LifecycleConfiguration { Rules = [.. rules.Select(r => LifecycleRule(r!.AsObject()))] },
            }, cancellationToken);
        }

        context.SetRef(logicalId, name);
        context.SetAttribute(logicalId, "Arn", $"arn:aws:s3:::{name}");
    }

    private static async Task ApplyQueueAsync(AmazonSQSClient sqs, string logicalId, JsonObject properties, TemplateContext context, CancellationToken cancellationToken)
    {
        var name = properties["QueueName"]?.GetValue<string>() ?? throw new TemplateException($"{logicalId} has no QueueName; the emulator needs one.");
        var attributes = QueueAttributes
            .Where(a => properties[a] is not null)
            .ToDictionary(a => a, a => properties[a]!.ToString(), StringComparer.Ordinal);
        if (properties["RedrivePolicy"] is JsonObject redrive)
        {
            attributes["RedrivePolicy"] = redrive.ToJsonString();
        }

        // CreateQueue answers with the existing queue when its attributes match; otherwise set them, so that a changed
        // template reaches a queue an earlier run created.
        string url;
        try
        {
            url = (await sqs.CreateQueueAsync(new CreateQueueRequest { QueueName = name, Attributes = attributes }, cancellationToken)).QueueUrl;
        }
        catch (QueueNameExistsException)
        {
            url = (await sqs.GetQueueUrlAsync(name, cancellationToken)).QueueUrl;
            await sqs.SetQueueAttributesAsync(url, attributes, cancellationToken);
        }

        context.SetRef(logicalId, url);
        context.SetAttribute(logicalId, "QueueUrl", url);
        context.SetAttribute(logicalId, "QueueName", name);
        context.SetAttribute(logicalId, "Arn", (await sqs.GetQueueAttributesAsync(url, ["QueueArn"], cancellationToken)).QueueARN);
    }

    private static LifecycleRule LifecycleRule(JsonObject rule)
    {
        var predicates = new List<LifecycleFilterPredicate>();
        if (rule["Prefix"] is { } prefix)
        {
            predicates.Add(new LifecyclePrefixPredicate { Prefix = prefix.GetValue<string>() });
        }

        if (rule["ObjectSizeGreaterThan"] is { } size)
        {
            predicates.Add(new LifecycleObjectSizeGreaterThanPredicate { ObjectSizeGreaterThan = long.Parse(size.ToString(), System.Globalization.CultureInfo.InvariantCulture) });
        }

        return new LifecycleRule
        {
            Id = rule["Id"]?.GetValue<string>(),
            Status = rule["Status"]?.GetValue<string>() == "Disabled" ? LifecycleRuleStatus.Disabled : LifecycleRuleStatus.Enabled,
            Filter = new LifecycleFilter
            {
                LifecycleFilterPredicate = predicates.Count switch
                {
                    0 => new LifecyclePrefixPredicate { Prefix = "" },
                    1 => predicates[0],
                    _ => new LifecycleAndOperator { Operands = predicates },
                },
            },
            AbortIncompleteMultipartUpload = rule["AbortIncompleteMultipartUpload"]?["DaysAfterInitiation"] is { } days
                ? new LifecycleRuleAbortIncompleteMultipartUpload { DaysAfterInitiation = days.GetValue<int>() }
                : null,
            Transitions = rule["Transitions"] is JsonArray transitions
                ? [.. transitions.Select(t => new LifecycleTransition
                {
                    Days = t!["TransitionInDays"]?.GetValue<int>(),
                    StorageClass = S3StorageClass.FindValue(t["StorageClass"]!.GetValue<string>()),
                })]
                : null,
            Expiration = rule["ExpirationInDays"] is { } expiration ? new LifecycleRuleExpiration { Days = expiration.GetValue<int>() } : null,
        };
    }

    private static string Required(JsonObject properties, string name, TemplateResource resource) =>
        properties[name]?.ToString() ?? throw new TemplateException($"{resource.LogicalId} ({resource.Type}) has no {name}.");

    [LoggerMessage(Level = LogLevel.Information, Message = "{LogicalId} ({Type}) is ready.")]
    private static partial void LogApplied(ILogger logger, string logicalId, string type);

    [LoggerMessage(Level = LogLevel.Information, Message = "Left to AWS itself (the emulator does not enforce them): {Resources}; and the bucket's CORS rule, every resource's encryption and public access settings.")]
    private static partial void LogCloudOnly(ILogger logger, string resources);
}
