using System.Diagnostics;
using System.Text.Json;
using Amazon.CDK.Assertions;
using static Desirable.Infrastructure.Tests.TemplateProperties;

namespace Desirable.Infrastructure.Tests;

/// <summary>The Web stack: the client in a private bucket behind CloudFront, the API's paths to the load balancer.</summary>
[Collection(SynthesizedStageGroup.Name)]
public sealed class WebStackTests(SynthesizedStage stage)
{
    // CloudFront's managed cache policies, by their fixed ids.
    private const string CachingOptimized = "658327ea-f89d-4fab-a63d-7e88639e58f6";
    private const string CachingDisabled = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad";

    [Fact]
    public void TheBucketIsPrivateAndOnlyTheDistributionReadsIt()
    {
        stage.Web.HasResourceProperties("AWS::S3::Bucket", Props(
            ("PublicAccessBlockConfiguration", Props(("BlockPublicAcls", true), ("BlockPublicPolicy", true), ("IgnorePublicAcls", true), ("RestrictPublicBuckets", true))),
            ("BucketEncryption", Match.ObjectLike(Props()))));
        stage.Web.HasResourceProperties("AWS::CloudFront::OriginAccessControl", Props(("OriginAccessControlConfig", Match.ObjectLike(Props(
            ("OriginAccessControlOriginType", "s3"), ("SigningBehavior", "always"))))));
        var policy = stage.Web.FindResources("AWS::S3::BucketPolicy").Values.Single();
        var statements = JsonSerializer.SerializeToElement(policy).GetProperty("Properties").GetProperty("PolicyDocument").GetProperty("Statement").EnumerateArray().ToList();
        var allows = statements.Where(s => s.GetProperty("Effect").GetString() == "Allow").ToList();
        var read = Assert.Single(allows);
        Assert.Equal("cloudfront.amazonaws.com", read.GetProperty("Principal").GetProperty("Service").GetString());
        Assert.Equal("s3:GetObject", read.GetProperty("Action").GetString());
        Assert.True(read.GetProperty("Condition").GetProperty("StringEquals").TryGetProperty("AWS:SourceArn", out _));
        Assert.Contains(statements, s => s.GetProperty("Effect").GetString() == "Deny" &&
            s.GetProperty("Condition").GetProperty("Bool").GetProperty("aws:SecureTransport").GetString() == "false");
    }

    [Fact]
    public void TheApiGoesToTheLoadBalancerUncachedAndTheFrameworkFilesAreCachedLong()
    {
        var api = Match.ObjectLike(Props(
            ("PathPattern", "/v3.0/*"),
            ("CachePolicyId", CachingDisabled),
            ("ViewerProtocolPolicy", "https-only"),
            ("AllowedMethods", new object[] { "GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE" })));
        var framework = Match.ObjectLike(Props(("PathPattern", "/_framework/*"), ("CachePolicyId", CachingOptimized), ("ViewerProtocolPolicy", "redirect-to-https")));
        // It proves to the load balancer that it is the site's distribution, with the secret resolved at deploy time.
        var resolve = Props(("Fn::Join", new object[] { "", new object[] { "{{resolve:secretsmanager:", Props(("Ref", ApiOutputs.OriginSecretArn)), ":SecretString:::}}" } }));
        var loadBalancer = Match.ObjectLike(Props(
            ("DomainName", Props(("Ref", ApiOutputs.LoadBalancerDnsName))),
            // The internal load balancer, through the Api stack's VPC origin; nothing reaches it from the internet.
            ("VpcOriginConfig", Props(("VpcOriginId", Props(("Ref", ApiOutputs.VpcOriginId))), ("OriginReadTimeout", 60), ("OriginKeepaliveTimeout", 5))),
            ("CustomOriginConfig", Match.Absent()),
            ("OriginCustomHeaders", new object[] { Props(("HeaderName", ApiStack.OriginHeader), ("HeaderValue", resolve)) })));
        var page = Match.ObjectLike(Props(
            ("ViewerProtocolPolicy", "redirect-to-https"),
            ("FunctionAssociations", new object[] { Match.ObjectLike(Props(("EventType", "viewer-request"))) })));
        stage.Web.HasResourceProperties("AWS::CloudFront::Distribution", Props(("DistributionConfig", Match.ObjectLike(Props(
            ("WebACLId", Props(("Ref", EdgeOutputs.WebAclArn))),
            ("DefaultRootObject", "index.html"),
            ("CacheBehaviors", Match.ArrayWith([framework, api])),
            ("Origins", Match.ArrayWith([loadBalancer])),
            ("DefaultCacheBehavior", page))))));
    }

    [Fact]
    public void TheApiGetsEveryViewerHeaderAndTheViewersAddress() =>
        stage.Web.HasResourceProperties("AWS::CloudFront::OriginRequestPolicy", Props(("OriginRequestPolicyConfig", Match.ObjectLike(Props(
            ("HeadersConfig", Props(("HeaderBehavior", "allViewerAndWhitelistCloudFront"), ("Headers", new object[] { Desirable.Contracts.EdgeHeaders.ViewerAddress }))),
            ("CookiesConfig", Props(("CookieBehavior", "none"))))))));

    [Fact]
    public void ThePageGetsTheDeploymentsContentSecurityPolicyAndStrictTransportSecurity()
    {
        var headers = Match.ObjectLike(Props(
            ("ContentSecurityPolicy", Props(("ContentSecurityPolicy", Props(("Ref", "ContentSecurityPolicy"))), ("Override", true))),
            ("StrictTransportSecurity", Match.ObjectLike(Props(("AccessControlMaxAgeSec", 31536000))))));
        stage.Web.HasResourceProperties("AWS::CloudFront::ResponseHeadersPolicy", Props(("ResponseHeadersPolicyConfig", Match.ObjectLike(Props(("SecurityHeadersConfig", headers))))));
    }

    [Fact]
    public void ADomainOfItsOwnBringsItsNameCertificateAndAliasRecord()
    {
        var aliases = Props(("Fn::If", new object[] { "HasDomain", new object[] { Props(("Ref", "DomainName")) }, Props(("Ref", "AWS::NoValue")) }));
        stage.Web.HasResourceProperties("AWS::CloudFront::Distribution", Props(("DistributionConfig", Match.ObjectLike(Props(("Aliases", aliases))))));
        var alias = Match.ObjectLike(Props(("Type", "A"), ("AliasTarget", Match.ObjectLike(Props(("HostedZoneId", WebStack.CloudFrontHostedZoneId))))));
        stage.Web.HasResource("AWS::Route53::RecordSet", Props(("Condition", "HasDomain"), ("Properties", alias)));
        Assert.Equal([WebOutputs.DistributionId, WebOutputs.SiteUrl, WebOutputs.WebBucketName], stage.Web.FindOutputs("*").Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("/", "/index.html")]
    [InlineData("/media/0193-abc", "/index.html")]
    [InlineData("/authentication/login-callback", "/index.html")]
    [InlineData("/_framework/blazor.webassembly.js", "/_framework/blazor.webassembly.js")]
    [InlineData("/client-settings.json", "/client-settings.json")]
    [InlineData("/favicon.png", "/favicon.png")]
    public async Task ClientRoutesGetThePageAndFilesStayFiles(string uri, string expected)
    {
        // The viewer-request function, run by Node as CloudFront's JavaScript runtime would run it.
        var script = WebStack.SpaFallbackCode + $"\nprocess.stdout.write(handler({{ request: {{ uri: {JsonSerializer.Serialize(uri)} }} }}).uri);";
        var node = new ProcessStartInfo("node", ["-e", script]) { RedirectStandardOutput = true };
        using var process = Process.Start(node)!;
        var output = await process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.Equal(expected, output);
    }

    [Fact]
    public void EveryParameterWithoutADefaultIsWhatAnEarlierStackOrTheDeploymentGives()
    {
        var earlier = stage.Media.FindOutputs("*").Keys.Concat(stage.Api.FindOutputs("*").Keys).Concat(stage.Edge.FindOutputs("*").Keys).Append("ContentSecurityPolicy").ToHashSet();
        var required = stage.Web.FindParameters("*").Where(p => !((IDictionary<string, object>)p.Value).ContainsKey("Default")).Select(p => p.Key).ToList();
        Assert.NotEmpty(required);
        Assert.All(required, name => Assert.True(earlier.Contains(name), $"The Web stack's parameter {name} is given by no earlier stack."));
    }
}
