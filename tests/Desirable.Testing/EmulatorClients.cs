using Amazon.Runtime;
using Amazon.S3;
using Amazon.SQS;
using Desirable.Aws.Sns;

namespace Desirable.Testing;

/// <summary>AWS clients for an emulator at <c>serviceUrl</c>, with the fixed credentials and region every emulator answers to.</summary>
public static class EmulatorClients
{
    private static readonly BasicAWSCredentials Credentials = new("test", "test");
    private const string Region = FauxqsEmulator.Region;

    public static AmazonS3Client S3(Uri serviceUrl) => new(Credentials, new AmazonS3Config
    {
        ServiceURL = serviceUrl.ToString(),
        AuthenticationRegion = Region,
        ForcePathStyle = true,
    });

    public static AmazonSQSClient Sqs(Uri serviceUrl) => new(Credentials, new AmazonSQSConfig
    {
        ServiceURL = serviceUrl.ToString(),
        AuthenticationRegion = Region,
    });

    public static SnsClient Sns(Uri serviceUrl) =>
        new(new HttpClient(), new SnsClientOptions { ServiceUrl = serviceUrl, Region = Region, Credentials = Credentials });
}
