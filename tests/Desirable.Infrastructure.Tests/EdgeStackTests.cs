using Amazon.CDK.Assertions;
using static Desirable.Infrastructure.Tests.TemplateProperties;

namespace Desirable.Infrastructure.Tests;

/// <summary>The Edge stack (us-east-1): the site's web ACL and, with a domain, its certificate.</summary>
[Collection(SynthesizedStageGroup.Name)]
public sealed class EdgeStackTests(SynthesizedStage stage)
{
    [Fact]
    public void ItIsDeployedWhereCloudFrontTakesWebAclsAndCertificatesFrom() =>
        Assert.Equal("us-east-1", DesirableStacks.FixedRegions[DesirableStacks.Edge]);

    [Fact]
    public void TheWebAclRunsAwsManagedRuleGroupsAndARateLimitPerAddress()
    {
        var groups = EdgeStack.ManagedRuleGroups.Select(group =>
        {
            var statement = Props(("ManagedRuleGroupStatement", Match.ObjectLike(Props(("VendorName", "AWS"), ("Name", group)))));
            return Match.ObjectLike(Props(("Name", group), ("Statement", Match.ObjectLike(statement))));
        });
        var rate = Props(("Limit", Props(("Ref", "RequestsPer5MinutesPerIp"))), ("AggregateKeyType", "IP"));
        var rateRule = Match.ObjectLike(Props(("Name", "RequestsPerAddress"), ("Action", Props(("Block", Props()))), ("Statement", Props(("RateBasedStatement", rate)))));
        stage.Edge.HasResourceProperties("AWS::WAFv2::WebACL", Props(
            ("Name", "desirable-alice-web"),
            ("Scope", "CLOUDFRONT"),
            ("DefaultAction", Props(("Allow", Props()))),
            ("Rules", Match.ArrayWith([.. groups, rateRule]))));
    }

    [Fact]
    public void UploadBodiesAreNotBlockedForTheirSizeByTheCommonRuleSet()
    {
        var sizeCounted = Props(("Name", "SizeRestrictions_BODY"), ("ActionToUse", Props(("Count", Props()))));
        var common = Match.ObjectLike(Props(("Name", "AWSManagedRulesCommonRuleSet"), ("RuleActionOverrides", new object[] { sizeCounted })));
        var rule = Match.ObjectLike(Props(("Statement", Props(("ManagedRuleGroupStatement", common)))));
        stage.Edge.HasResourceProperties("AWS::WAFv2::WebACL", Props(("Rules", Match.ArrayWith([rule]))));
    }

    [Fact]
    public void TheCertificateExistsOnlyWithADomainAndIsValidatedThroughItsHostedZone()
    {
        var validation = Props(("DomainName", Props(("Ref", "DomainName"))), ("HostedZoneId", Props(("Ref", "HostedZoneId"))));
        var properties = Props(("DomainName", Props(("Ref", "DomainName"))), ("ValidationMethod", "DNS"), ("DomainValidationOptions", new object[] { validation }));
        stage.Edge.HasResource("AWS::CertificateManager::Certificate", Props(("Condition", "HasDomain"), ("Properties", properties)));
        Assert.Equal([EdgeOutputs.CertificateArn, EdgeOutputs.WebAclArn], stage.Edge.FindOutputs("*").Keys.Order(StringComparer.Ordinal));
    }
}
