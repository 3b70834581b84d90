using System.Net;
using Amazon.Runtime;
using Desirable.Aws.Query;
using Desirable.Aws.Sts;

namespace Desirable.Aws.Tests;

/// <summary>
/// GetCallerIdentity's documented answers, from a fake STS handler (no STS is reachable here), read by the real
/// client: the signed request it sends, the account it reads, the error it raises.
/// </summary>
public sealed class StsClientFakeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task FakeStsAnswerGivesTheAccountOfTheCredentials()
    {
        var handler = new FakeSts(HttpStatusCode.OK, """
            <GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
              <GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/alice</Arn><UserId>AIDAEXAMPLE</UserId><Account>123456789012</Account></GetCallerIdentityResult>
              <ResponseMetadata><RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId></ResponseMetadata>
            </GetCallerIdentityResponse>
            """);

        var account = await Client(handler).GetAccountIdAsync(Ct);

        Assert.Equal("123456789012", account);
        Assert.Equal("Action=GetCallerIdentity&Version=2011-06-15", handler.Body);
        Assert.Contains("/eu-west-1/sts/aws4_request", handler.Authorization, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FakeStsErrorIsRaisedWithItsCode()
    {
        var handler = new FakeSts(HttpStatusCode.Forbidden, """
            <ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
              <Error><Type>Sender</Type><Code>ExpiredToken</Code><Message>The security token included in the request is expired</Message></Error>
            </ErrorResponse>
            """);

        var error = await Assert.ThrowsAsync<StsException>(() => Client(handler).GetAccountIdAsync(Ct));

        Assert.Equal("ExpiredToken", error.Code);
        Assert.Equal("STS ExpiredToken: The security token included in the request is expired", error.Message);
    }

    private static StsClient Client(FakeSts handler) => new(new HttpClient(handler), new AwsQueryClientOptions
    {
        Region = "eu-west-1",
        ServiceUrl = new Uri("https://sts.eu-west-1.amazonaws.com/"),
        Credentials = new BasicAWSCredentials("AKIDEXAMPLE", "secret"),
    });

    private sealed class FakeSts(HttpStatusCode status, string answer) : HttpMessageHandler
    {
        public string Body { get; private set; } = "";

        public string Authorization { get; private set; } = "";

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Body = await request.Content!.ReadAsStringAsync(cancellationToken);
            Authorization = request.Headers.Authorization?.ToString() ?? string.Join(",", request.Headers.GetValues("Authorization"));
            return new HttpResponseMessage(status) { Content = new StringContent(answer) };
        }
    }
}
