using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.SQS.Model;
using Desirable.Hosting.Aws.Templates;
using Desirable.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace Desirable.AppHost.Tests;

/// <summary>
/// The Media stack's synthesized template applied to a real fauxqs process, as the embedded mode does: the emulator
/// ends with exactly the template's bucket, queues, topic and subscription, and a changed template changes them.
/// </summary>
public sealed class EmulatorTemplateApplierTests : IAsyncLifetime
{
    private const string Bucket = "desirable-local-media-000000000000-us-east-1";

    private static readonly string TemplateFile =
        Path.Combine(RepositoryPaths.Root, "src", "Desirable.AppHost", "obj", "stacks", "local", "media.template.json");

    private FauxqsEmulator _emulator = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() =>
        _emulator = await FauxqsEmulator.StartInTemporaryFolderAsync(Ct);

    [Fact]
    public async Task TheBucketGetsTheTemplatesLifecycleRules()
    {
        await ApplyAsync(await File.ReadAllTextAsync(TemplateFile, Ct));

        using var s3 = EmulatorClients.S3(_emulator.ServiceUrl);
        Assert.Contains((await s3.ListBucketsAsync(Ct)).Buckets ?? [], b => b.BucketName == Bucket);
        var rules = (await s3.GetLifecycleConfigurationAsync(Bucket, Ct)).Configuration.Rules;
        Assert.Contains(rules, r => r.Id == "abort-incomplete-multipart-uploads" && r.AbortIncompleteMultipartUpload?.DaysAfterInitiation == 1);
        Assert.Contains(rules, r => r.Id == "media-to-intelligent-tiering" && r.Transitions?.Single().StorageClass == Amazon.S3.S3StorageClass.IntelligentTiering);
    }

    [Fact]
    public async Task TheQueuesGetTheirAttributesAndTheRedrivePolicy()
    {
        var outputs = await ApplyAsync(await File.ReadAllTextAsync(TemplateFile, Ct));

        using var sqs = EmulatorClients.Sqs(_emulator.ServiceUrl);
        var jobs = outputs[MediaOutputs.JobQueueUrl];
        Assert.Equal((await sqs.GetQueueUrlAsync("desirable-local-media-processing", Ct)).QueueUrl, jobs);
        var attributes = (await sqs.GetQueueAttributesAsync(jobs, ["VisibilityTimeout", "RedrivePolicy"], Ct)).Attributes;
        Assert.Equal("60", attributes["VisibilityTimeout"]);
        var redrive = JsonDocument.Parse(attributes["RedrivePolicy"]).RootElement;
        Assert.Equal(outputs[MediaOutputs.DeadLetterQueueArn], redrive.GetProperty("deadLetterTargetArn").GetString());
        Assert.Equal("10", redrive.GetProperty("maxReceiveCount").ToString());
        var retention = (await sqs.GetQueueAttributesAsync(outputs[MediaOutputs.DeadLetterQueueUrl], ["MessageRetentionPeriod"], Ct)).Attributes;
        Assert.Equal("1209600", retention["MessageRetentionPeriod"]);
    }

    [Fact]
    public async Task TheTopicDeliversToTheAuditQueueRawAndOnceEvenWhenAppliedTwice()
    {
        var template = await File.ReadAllTextAsync(TemplateFile, Ct);
        await ApplyAsync(template);
        var outputs = await ApplyAsync(template);

        Assert.Equal("arn:aws:sns:us-east-1:000000000000:desirable-local-media-events", outputs[MediaOutputs.EventsTopicArn]);
        await EmulatorClients.Sns(_emulator.ServiceUrl).PublishAsync(outputs[MediaOutputs.EventsTopicArn], "{\"ping\":1}", cancellationToken: Ct);
        using var sqs = EmulatorClients.Sqs(_emulator.ServiceUrl);
        var received = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = outputs[MediaOutputs.EventsAuditQueueUrl], WaitTimeSeconds = 5, MaxNumberOfMessages = 10 }, Ct);
        Assert.Equal("{\"ping\":1}", Assert.Single(received.Messages).Body);
    }

    [Fact]
    public async Task EveryOutputIsEvaluatedAsCloudFormationWould()
    {
        var outputs = await ApplyAsync(await File.ReadAllTextAsync(TemplateFile, Ct));

        Assert.Equal(14, outputs.Count);
        // The emulator encrypts nothing; the stage key's ARN says so rather than naming a real key.
        Assert.Matches(@"^arn:aws:kms:[a-z0-9-]+:\d{12}:key/emulated-StageKey", outputs[MediaOutputs.StageKeyArn]);
        Assert.Equal(Bucket, outputs[MediaOutputs.BucketName]);
        Assert.Equal($"arn:aws:s3:::{Bucket}", outputs[MediaOutputs.BucketArn]);
        Assert.Equal("desirable-local-media-processing", outputs[MediaOutputs.JobQueueName]);
        Assert.EndsWith(":desirable-local-media-processing-dlq", outputs[MediaOutputs.DeadLetterQueueArn], StringComparison.Ordinal);
        Assert.Equal("desirable-local-media-events", outputs[MediaOutputs.EventsTopicName]);
    }

    [Fact]
    public async Task AChangedTemplateChangesTheResources()
    {
        var template = JsonNode.Parse(await File.ReadAllTextAsync(TemplateFile, Ct))!;
        await ApplyAsync(template.ToJsonString());
        var jobQueue = template["Resources"]!.AsObject().Single(r => (string?)r.Value!["Properties"]?["QueueName"] == "desirable-local-media-processing").Value!;
        jobQueue["Properties"]!["VisibilityTimeout"] = 90;
        jobQueue["Properties"]!["RedrivePolicy"]!["maxReceiveCount"] = 5;

        var outputs = await ApplyAsync(template.ToJsonString());

        using var sqs = EmulatorClients.Sqs(_emulator.ServiceUrl);
        var attributes = (await sqs.GetQueueAttributesAsync(outputs[MediaOutputs.JobQueueUrl], ["VisibilityTimeout", "RedrivePolicy"], Ct)).Attributes;
        Assert.Equal("90", attributes["VisibilityTimeout"]);
        Assert.Equal("5", JsonDocument.Parse(attributes["RedrivePolicy"]).RootElement.GetProperty("maxReceiveCount").ToString());
    }

    [Fact]
    public async Task AResourceTheEmulatorCannotProvideIsAPlainErrorBeforeAnythingIsCreated()
    {
        const string Template = """
            {"Resources":{
              "Queue":{"Type":"AWS::SQS::Queue","Properties":{"QueueName":"after-the-table"}},
              "Table":{"Type":"AWS::DynamoDB::Table","Properties":{"TableName":"t"}}}}
            """;

        var error = await Assert.ThrowsAsync<TemplateException>(() => ApplyAsync(Template));

        Assert.Equal("Table is a AWS::DynamoDB::Table, which the emulator cannot provide.", error.Message);
        using var sqs = EmulatorClients.Sqs(_emulator.ServiceUrl);
        Assert.DoesNotContain((await sqs.ListQueuesAsync(new Amazon.SQS.Model.ListQueuesRequest(), Ct)).QueueUrls ?? [], u => u.EndsWith("/after-the-table", StringComparison.Ordinal));
    }

    [Fact]
    public void IntrinsicFunctionsResolveAsCloudFormationResolvesThem()
    {
        var template = CloudFormationTemplate.Parse("""
            {"Parameters":{"Stage":{"Type":"String","Default":"dev"},"On":{"Type":"String","Default":"true"}},
             "Conditions":{"IsOn":{"Fn::Equals":[{"Ref":"On"},"true"]}},
             "Resources":{"Q":{"Type":"AWS::SQS::Queue"}}}
            """);
        var context = new TemplateContext("s", "eu-west-1", "123456789012", template.ParameterValues());
        context.SetRef("Q", "https://q");
        context.SetAttribute("Q", "Arn", "arn:q");

        Assert.Equal("dev-eu-west-1-123456789012", template.EvaluateString(JsonNode.Parse("""{"Fn::Join":["-",[{"Ref":"Stage"},{"Ref":"AWS::Region"},{"Ref":"AWS::AccountId"}]]}"""), context));
        Assert.Equal("arn:q/x/https://q", template.EvaluateString(JsonNode.Parse("""{"Fn::Sub":"${Q.Arn}/x/${Q}"}"""), context));
        Assert.Equal("b", template.EvaluateString(JsonNode.Parse("""{"Fn::Select":[1,{"Fn::Split":["://","a://b"]}]}"""), context));
        Assert.Equal("yes", template.EvaluateString(JsonNode.Parse("""{"Fn::If":["IsOn","yes","no"]}"""), context));
        Assert.Equal("""{"a":1}""", template.Evaluate(JsonNode.Parse("""{"a":1,"b":{"Ref":"AWS::NoValue"}}"""), context)!.ToJsonString());
        var missing = Assert.Throws<TemplateException>(() => template.EvaluateString(JsonNode.Parse("""{"Ref":"Nope"}"""), context));
        Assert.Equal("Ref Nope names no parameter or resource that has been applied.", missing.Message);
    }

    public async ValueTask DisposeAsync()
    {
        await _emulator.DisposeAsync();
    }

    private Task<IReadOnlyDictionary<string, string>> ApplyAsync(string template) =>
        EmulatorTemplateApplier.ApplyAsync(CloudFormationTemplate.Parse(template), "desirable-local-media", _emulator.ServiceUrl, "us-east-1", null, NullLogger.Instance, Ct);
}
