using Amazon.CDK;
using Amazon.CDK.AWS.CertificateManager;
using Amazon.CDK.AWS.WAFv2;
using Constructs;

namespace Desirable.Infrastructure;

/// <summary>
/// What CloudFront only takes from us-east-1, whatever the stage's region: the web ACL in front of the site and, with a
/// domain of its own, the site's certificate. A stack of its own, deployed to us-east-1 before the Web stack, which
/// takes its outputs.
/// </summary>
public sealed class EdgeStack : Stack
{
    /// <summary>The region CloudFront takes web ACLs and certificates from.</summary>
    public const string EdgeRegion = "us-east-1";

    /// <summary>The AWS managed rule groups the web ACL runs, in order.</summary>
    public static IReadOnlyList<string> ManagedRuleGroups { get; } =
        ["AWSManagedRulesAmazonIpReputationList", "AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet"];

    public EdgeStack(Construct scope, string id, StageSettings settings)
        : base(scope, id, DesirableStacks.PropsFor(settings, id, "web ACL and certificate, in us-east-1"))
    {
        ArgumentNullException.ThrowIfNull(settings);
        var requestsPerIp = new CfnParameter(this, "RequestsPer5MinutesPerIp", new CfnParameterProps
        {
            Type = "Number",
            Default = 2000,
            MinValue = 100,
            Description = "Requests one address may make in five minutes before the web ACL blocks it for a while.",
        });
        var domain = WebStack.DomainParameters(this);

        var rules = new List<object>();
        var priority = 0;
        foreach (var group in ManagedRuleGroups)
        {
            rules.Add(new CfnWebACL.RuleProperty
            {
                Name = group,
                Priority = priority++,
                OverrideAction = new CfnWebACL.OverrideActionProperty { None = new Dictionary<string, object>() },
                Statement = new CfnWebACL.StatementProperty
                {
                    ManagedRuleGroupStatement = new CfnWebACL.ManagedRuleGroupStatementProperty
                    {
                        VendorName = "AWS",
                        Name = group,
                        // Uploads are request bodies far above the common rule set's 8 KB body limit; the API itself
                        // limits them (size, type, rate). Counted, not blocked.
                        RuleActionOverrides = group == "AWSManagedRulesCommonRuleSet"
                            ? new object[] { new CfnWebACL.RuleActionOverrideProperty { Name = "SizeRestrictions_BODY", ActionToUse = new CfnWebACL.RuleActionProperty { Count = new CfnWebACL.CountActionProperty() } } }
                            : null,
                    },
                },
                VisibilityConfig = Visibility(group),
            });
        }

        rules.Add(new CfnWebACL.RuleProperty
        {
            Name = "RequestsPerAddress",
            Priority = priority,
            Action = new CfnWebACL.RuleActionProperty { Block = new CfnWebACL.BlockActionProperty() },
            Statement = new CfnWebACL.StatementProperty
            {
                RateBasedStatement = new CfnWebACL.RateBasedStatementProperty { Limit = requestsPerIp.ValueAsNumber, AggregateKeyType = "IP" },
            },
            VisibilityConfig = Visibility("RequestsPerAddress"),
        });

        var acl = new CfnWebACL(this, "WebAcl", new CfnWebACLProps
        {
            Name = $"desirable-{settings.Stage}-web",
            Scope = "CLOUDFRONT",
            DefaultAction = new CfnWebACL.DefaultActionProperty { Allow = new CfnWebACL.AllowActionProperty() },
            Rules = rules.ToArray(),
            VisibilityConfig = Visibility($"desirable-{settings.Stage}-web"),
        });
        DesirableStacks.Output(this, EdgeOutputs.WebAclArn, acl.AttrArn, "The web ACL the site's distribution uses.");

        // With a domain of its own: its certificate, validated through its Route 53 hosted zone.
        var certificate = new CfnCertificate(this, "SiteCertificate", new CfnCertificateProps
        {
            DomainName = domain.Name.ValueAsString,
            ValidationMethod = "DNS",
            DomainValidationOptions = new object[] { new CfnCertificate.DomainValidationOptionProperty { DomainName = domain.Name.ValueAsString, HostedZoneId = domain.HostedZoneId.ValueAsString } },
        });
        certificate.CfnOptions.Condition = domain.HasDomain;
        DesirableStacks.Output(this, EdgeOutputs.CertificateArn, Fn.ConditionIf(domain.HasDomain.LogicalId, certificate.Ref, "").ToString(),
            "The site's certificate, or empty without a domain of its own.");
    }

    private static CfnWebACL.VisibilityConfigProperty Visibility(string metric) => new()
    {
        CloudWatchMetricsEnabled = true,
        MetricName = metric,
        SampledRequestsEnabled = true,
    };
}
