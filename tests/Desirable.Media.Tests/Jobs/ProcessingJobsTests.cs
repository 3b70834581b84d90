using System.Diagnostics;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.SQS;
using Desirable.Media;
using Desirable.Media.Jobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Desirable.Media.Tests.Jobs;

/// <summary>How long the services wait for S3 and SQS before they call it an outage.</summary>
public sealed class ProcessingJobsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ASendThatSqsNeverAnswersEndsWithinOneRequestTimeoutAsAnOutage()
    {
        // A client left at the SDK's 100 s per request: the send's own deadline is what ends it.
        await using var silent = new SilentEndpoint();
        using var sqs = new AmazonSQSClient(new BasicAWSCredentials("test", "test"),
            new AmazonSQSConfig { ServiceURL = silent.Url.ToString(), AuthenticationRegion = "us-east-1" });
        var jobs = new ProcessingJobs(sqs, Options.Create(new JobQueueOptions { RequestTimeout = TimeSpan.FromSeconds(1) }));

        var watch = Stopwatch.StartNew();
        var failure = await Assert.ThrowsAsync<TimeoutException>(() => jobs.EnqueueAsync(Guid.NewGuid(), Ct));
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5));
        Assert.True(AwsOutage.Is(failure));
        Assert.True(silent.Connections > 0);
    }

    [Fact]
    public async Task ACallersCancellationStaysACancellation()
    {
        await using var silent = new SilentEndpoint();
        using var sqs = new AmazonSQSClient(new BasicAWSCredentials("test", "test"),
            new AmazonSQSConfig { ServiceURL = silent.Url.ToString(), AuthenticationRegion = "us-east-1" });
        var jobs = new ProcessingJobs(sqs, Options.Create(new JobQueueOptions { RequestTimeout = TimeSpan.FromSeconds(30) }));
        using var caller = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => jobs.EnqueueAsync(Guid.NewGuid(), caller.Token));
    }

    [Fact]
    public void TheRegisteredClientsTakeTheConfiguredRequestTimeoutsAndSqsAddsTheLongPoll()
    {
        // The services take their region from the standard AWS settings, as the AppHost gives them; the shared
        // emulator's fixture sets the same one.
        Environment.SetEnvironmentVariable("AWS_REGION", Environment.GetEnvironmentVariable("AWS_REGION") ?? FauxqsEmulator.Region);
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:BucketName"] = "media",
            ["Storage:RequestTimeout"] = "00:00:07",
            ["Processing:RequestTimeout"] = "00:00:04",
        });
        builder.AddMediaStorage();
        builder.AddProcessingJobs();
        using var host = builder.Build();

        Assert.Equal(TimeSpan.FromSeconds(7), host.Services.GetRequiredService<IAmazonS3>().Config.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(4) + ProcessingJobs.LongPoll, host.Services.GetRequiredService<IAmazonSQS>().Config.Timeout);
    }

    [Fact]
    public void ARequestTimeoutOutsideItsRangeStopsTheServiceWithTheSettingNamed()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:BucketName"] = "media",
            ["Storage:RequestTimeout"] = "00:00:00",
        });
        builder.AddMediaStorage();
        using var host = builder.Build();

        var failure = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IAmazonS3>());
        Assert.Contains("RequestTimeout", failure.Message, StringComparison.Ordinal);
    }
}
