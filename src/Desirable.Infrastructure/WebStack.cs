using Amazon.CDK;
using Amazon.CDK.AWS.CloudFront;
using Amazon.CDK.AWS.CloudFront.Origins;
using Amazon.CDK.AWS.Route53;
using Amazon.CDK.AWS.S3;
using Constructs;
using Desirable.Contracts;
using CfnFunction = Amazon.CDK.AWS.CloudFront.Function;

namespace Desirable.Infrastructure;

/// <summary>
/// The site: the published Blazor WebAssembly client in a private bucket behind CloudFront (origin access control),
/// with the API's paths sent to the load balancer, so page and API share one origin as they do through the gateway
/// locally. Behind the Edge stack's web ACL; on a domain of its own when one is given.
/// </summary>
public sealed class WebStack : Stack
{
    /// <summary>The parameter the deployment fills with the page's policy, made from the published index.html.</summary>
    public const string ContentSecurityPolicyParameter = "ContentSecurityPolicy";

    /// <summary>The API's place among the distribution's origins: the site's bucket is the first (the default behaviour's).</summary>
    private const int ApiOriginIndex = 1;

    /// <summary>CloudFront's own hosted zone id, which every alias record to a distribution names.</summary>
    public const string CloudFrontHostedZoneId = "Z2FDTNDATAQYW2";

    /// <summary>
    /// Paths without a file extension are the client's own routes (/media/123): CloudFront serves them index.html, and
    /// the client's router takes over. A missing file (/_framework/x.js) stays a 404.
    /// </summary>
    public const string SpaFallbackCode = """
        function handler(event) {
            var request = event.request;
            var last = request.uri.substring(request.uri.lastIndexOf('/') + 1);
            if (last.indexOf('.') === -1) {
                request.uri = '/index.html';
            }
            return request;
        }
        """;

    /// <summary>The optional domain parameters the Edge and Web stacks share, and the condition "a domain was given".</summary>
    public sealed record Domain(CfnParameter Name, CfnParameter HostedZoneId, CfnCondition HasDomain);

    public WebStack(Construct scope, string id, StageSettings settings)
        : base(scope, id, DesirableStacks.PropsFor(settings, id, "the web client behind CloudFront"))
    {
        ArgumentNullException.ThrowIfNull(settings);
        var webAclArn = DesirableStacks.Input(this, EdgeOutputs.WebAclArn, "The web ACL (Edge stack, us-east-1).");
        var certificateArn = new CfnParameter(this, EdgeOutputs.CertificateArn, new CfnParameterProps
        {
            Type = "String",
            Default = "",
            Description = "The site's certificate (Edge stack, us-east-1); empty without a domain of its own.",
        });
        var loadBalancer = DesirableStacks.Input(this, ApiOutputs.LoadBalancerDnsName, "The load balancer the API's paths go to (Api stack).");
        var vpcOrigin = DesirableStacks.Input(this, ApiOutputs.VpcOriginId, "The internal load balancer as a CloudFront VPC origin (Api stack).");
        var originSecret = DesirableStacks.Input(this, ApiOutputs.OriginSecretArn, "The secret the load balancer expects from CloudFront (Api stack).");
        var contentSecurityPolicy = new CfnParameter(this, ContentSecurityPolicyParameter, new CfnParameterProps
        {
            Type = "String",
            MinLength = 1,
            Description = "The page's content security policy, made by the deployment from the published index.html and the Auth0 tenant.",
        });
        var domain = DomainParameters(this);

        // Only the published client, which every deploy writes again: it goes with the stack.
        var bucket = new Bucket(this, "SiteBucket", new BucketProps
        {
            BlockPublicAccess = BlockPublicAccess.BLOCK_ALL,
            // The stage's key, whose policy lets CloudFront decrypt for the stage's distributions.
            Encryption = BucketEncryption.KMS,
            EncryptionKey = Amazon.CDK.AWS.KMS.Key.FromKeyArn(this, "StageKey", DesirableStacks.Input(this, MediaOutputs.StageKeyArn, "The stage's KMS key (Media stack).").ValueAsString),
            BucketKeyEnabled = true,
            EnforceSSL = true,
            ObjectOwnership = ObjectOwnership.BUCKET_OWNER_ENFORCED,
            RemovalPolicy = RemovalPolicy.DESTROY,
        });
        var site = S3BucketOrigin.WithOriginAccessControl(bucket);
        // Described as an HTTP origin for the constructs, then made the VPC origin it is (below).
        var api = new HttpOrigin(loadBalancer.ValueAsString, new HttpOriginProps
        {
            ProtocolPolicy = OriginProtocolPolicy.HTTP_ONLY,
            // Resolved by CloudFormation from Secrets Manager; the template holds only the secret's ARN.
            CustomHeaders = new Dictionary<string, string>
            {
                [ApiStack.OriginHeader] = Fn.Join("", ["{{resolve:secretsmanager:", originSecret.ValueAsString, ":SecretString:::}}"]),
            },
        });

        var headers = new ResponseHeadersPolicy(this, "SiteHeaders", new ResponseHeadersPolicyProps
        {
            Comment = $"desirable-{settings.Stage}: security headers of the site",
            SecurityHeadersBehavior = new ResponseSecurityHeadersBehavior
            {
                ContentSecurityPolicy = new ResponseHeadersContentSecurityPolicy { ContentSecurityPolicy = contentSecurityPolicy.ValueAsString, Override = true },
                StrictTransportSecurity = new ResponseHeadersStrictTransportSecurity { AccessControlMaxAge = Duration.Days(365), IncludeSubdomains = true, Override = true },
                ContentTypeOptions = new ResponseHeadersContentTypeOptions { Override = true },
                FrameOptions = new ResponseHeadersFrameOptions { FrameOption = HeadersFrameOption.SAMEORIGIN, Override = true },
                ReferrerPolicy = new ResponseHeadersReferrerPolicy { ReferrerPolicy = HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN, Override = true },
            },
        });
        // index.html and client-settings.json change with every deploy: kept a minute at most, revalidated after.
        var shell = new CachePolicy(this, "ShellCache", new CachePolicyProps
        {
            Comment = $"desirable-{settings.Stage}: the page itself, briefly",
            MinTtl = Duration.Seconds(0),
            DefaultTtl = Duration.Seconds(60),
            MaxTtl = Duration.Seconds(60),
            EnableAcceptEncodingGzip = true,
            EnableAcceptEncodingBrotli = true,
        });

        // Everything the caller sent (Authorization, Range, If-None-Match, the site's Host) and who the viewer is, which
        // the gateway believes only with the origin secret.
        var apiRequests = new OriginRequestPolicy(this, "ApiRequests", new OriginRequestPolicyProps
        {
            Comment = $"desirable-{settings.Stage}: the API's requests, with the viewer's address",
            HeaderBehavior = OriginRequestHeaderBehavior.All(EdgeHeaders.ViewerAddress),
            QueryStringBehavior = OriginRequestQueryStringBehavior.All(),
            CookieBehavior = OriginRequestCookieBehavior.None(),
        });
        var distribution = new Distribution(this, "Site", new DistributionProps
        {
            Comment = $"desirable-{settings.Stage}",
            DefaultRootObject = "index.html",
            DefaultBehavior = new BehaviorOptions
            {
                Origin = site,
                ViewerProtocolPolicy = ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
                CachePolicy = shell,
                ResponseHeadersPolicy = headers,
                Compress = true,
                FunctionAssociations =
                [
                    new FunctionAssociation
                    {
                        EventType = FunctionEventType.VIEWER_REQUEST,
                        Function = new CfnFunction(this, "SpaFallback", new FunctionProps
                        {
                            Comment = "Client routes get index.html",
                            Code = FunctionCode.FromInline(SpaFallbackCode),
                            Runtime = FunctionRuntime.JS_2_0,
                        }),
                    },
                ],
            },
            AdditionalBehaviors = new Dictionary<string, IBehaviorOptions>
            {
                // Fingerprinted by the build: a changed file has a new name, so these are cached as long as CloudFront keeps anything.
                ["/_framework/*"] = new BehaviorOptions
                {
                    Origin = site,
                    ViewerProtocolPolicy = ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
                    CachePolicy = CachePolicy.CACHING_OPTIMIZED,
                    ResponseHeadersPolicy = headers,
                    Compress = true,
                },
                // The API: never cached, every method, the caller's headers passed on.
                [$"{ApiPaths.Prefix}/*"] = new BehaviorOptions
                {
                    Origin = api,
                    ViewerProtocolPolicy = ViewerProtocolPolicy.HTTPS_ONLY,
                    AllowedMethods = AllowedMethods.ALLOW_ALL,
                    CachePolicy = CachePolicy.CACHING_DISABLED,
                    OriginRequestPolicy = apiRequests,
                    ResponseHeadersPolicy = ResponseHeadersPolicy.SECURITY_HEADERS,
                },
            },
            WebAclId = webAclArn.ValueAsString,
            PriceClass = PriceClass.PRICE_CLASS_100,
            HttpVersion = HttpVersion.HTTP2_AND_3,
        });

        // A domain of its own: its name on the distribution with the Edge stack's certificate, and an alias record.
        var cfnDistribution = (CfnDistribution)distribution.Node.DefaultChild!;
        // As raw intrinsic functions: jsii cannot pass Fn.ConditionIf's result through an untyped override.
        cfnDistribution.AddPropertyOverride("DistributionConfig.Aliases", If(domain.HasDomain,
            new object[] { domain.Name.ValueAsString }, new Dictionary<string, object> { ["Ref"] = "AWS::NoValue" }));
        cfnDistribution.AddPropertyOverride("DistributionConfig.ViewerCertificate", If(domain.HasDomain,
            new Dictionary<string, object> { ["AcmCertificateArn"] = certificateArn.ValueAsString, ["SslSupportMethod"] = "sni-only", ["MinimumProtocolVersion"] = "TLSv1.2_2021" },
            new Dictionary<string, object> { ["CloudFrontDefaultCertificate"] = true }));
        // The API's origin is the Api stack's internal load balancer, reached through its VPC origin: this CDK version
        // renders every non-S3 origin as a custom (internet) origin, so the override swaps that for the VPC origin.
        cfnDistribution.AddPropertyDeletionOverride($"DistributionConfig.Origins.{ApiOriginIndex}.CustomOriginConfig");
        cfnDistribution.AddPropertyOverride($"DistributionConfig.Origins.{ApiOriginIndex}.VpcOriginConfig", new Dictionary<string, object>
        {
            ["VpcOriginId"] = vpcOrigin.ValueAsString,
            ["OriginReadTimeout"] = 60,
            ["OriginKeepaliveTimeout"] = 5,
        });
        var record = new CfnRecordSet(this, "SiteAlias", new CfnRecordSetProps
        {
            HostedZoneId = domain.HostedZoneId.ValueAsString,
            Name = domain.Name.ValueAsString,
            Type = "A",
            AliasTarget = new CfnRecordSet.AliasTargetProperty { DnsName = distribution.DistributionDomainName, HostedZoneId = CloudFrontHostedZoneId },
        });
        record.CfnOptions.Condition = domain.HasDomain;

        DesirableStacks.Output(this, WebOutputs.SiteUrl, Fn.ConditionIf(domain.HasDomain.LogicalId,
            Fn.Join("", ["https://", domain.Name.ValueAsString]), Fn.Join("", ["https://", distribution.DistributionDomainName])).ToString(), "The site.");
        DesirableStacks.Output(this, WebOutputs.DistributionId, distribution.DistributionId, "The site's CloudFront distribution.");
        DesirableStacks.Output(this, WebOutputs.WebBucketName, bucket.BucketName, "Where the deployment writes the published web client.");
    }

    private static Dictionary<string, object> If(CfnCondition condition, object whenTrue, object whenFalse) =>
        new() { ["Fn::If"] = new[] { condition.LogicalId, whenTrue, whenFalse } };

    /// <summary>The site's own domain (optional) and its Route 53 hosted zone, as parameters of <paramref name="stack"/>.</summary>
    public static Domain DomainParameters(Stack stack)
    {
        var name = new CfnParameter(stack, "DomainName", new CfnParameterProps
        {
            Type = "String",
            Default = "",
            Description = "The site's own domain (media.example.com); empty for the distribution's cloudfront.net name.",
        });
        var zone = new CfnParameter(stack, "HostedZoneId", new CfnParameterProps
        {
            Type = "String",
            Default = "",
            Description = "The Route 53 hosted zone of the domain (for its certificate and alias record).",
        });
        var hasDomain = new CfnCondition(stack, "HasDomain", new CfnConditionProps { Expression = Fn.ConditionNot(Fn.ConditionEquals(name.ValueAsString, "")) });
        return new Domain(name, zone, hasDomain);
    }
}
