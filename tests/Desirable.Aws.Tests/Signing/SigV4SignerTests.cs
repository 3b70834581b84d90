using Amazon.Runtime;
using Desirable.Aws;

namespace Desirable.Aws.Tests;

/// <summary>Against AWS's published Signature Version 4 test suite (credentials, date and expected signatures from it).</summary>
public class SigV4SignerTests
{
    private static readonly ImmutableCredentials SuiteCredentials = new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", null);
    private static readonly DateTime SuiteDate = new(2015, 8, 30, 12, 36, 0, DateTimeKind.Utc);

    [Fact]
    public void GetVanilla()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://example.amazonaws.com/");

        SigV4Signer.Sign(request, [], SuiteCredentials, "us-east-1", "service", SuiteDate);

        Assert.Equal("20150830T123600Z", request.Headers.GetValues("x-amz-date").Single());
        Assert.Equal(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, " +
            "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
            string.Join(",", request.Headers.GetValues("Authorization")));
    }

    [Fact]
    public void PostXWwwFormUrlencoded()
    {
        var body = "Param1=value1"u8.ToArray();
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://example.amazonaws.com/") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/x-www-form-urlencoded");

        SigV4Signer.Sign(request, body, SuiteCredentials, "us-east-1", "service", SuiteDate);

        Assert.Equal(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=content-type;host;x-amz-date, " +
            "Signature=ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a",
            string.Join(",", request.Headers.GetValues("Authorization")));
    }

    [Fact]
    public void ASessionTokenIsSentAndSigned()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://example.amazonaws.com/");

        SigV4Signer.Sign(request, [], new ImmutableCredentials("AKIDEXAMPLE", "secret", "token-123"), "us-east-1", "service", SuiteDate);

        Assert.Equal("token-123", request.Headers.GetValues("x-amz-security-token").Single());
        Assert.Contains("SignedHeaders=host;x-amz-date;x-amz-security-token,", string.Join(",", request.Headers.GetValues("Authorization")), StringComparison.Ordinal);
    }
}
