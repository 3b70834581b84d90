using System.Security.Claims;
using Microsoft.Extensions.Hosting;

namespace Desirable.MediaService.Tests.Access;

/// <summary>Reusing a validation must never outlive the token, match another token, or share one principal between requests.</summary>
public sealed class ValidatedTokensTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void AValidatedTokenIsRecognisedUntilTheReuseLimitWithAFreshPrincipalEachTime()
    {
        var clock = new ManualClock(Start);
        var validated = new ValidatedTokens(clock);
        var principal = Principal("auth0|alice");
        validated.Remember("header.payload.signature", principal, Start.AddHours(1).UtcDateTime);

        var first = validated.Find("header.payload.signature");
        var second = validated.Find("header.payload.signature");
        var changedInOneByte = validated.Find("header.payload.signaturf");
        clock.Now = Start + ValidatedTokens.MaxReuse + TimeSpan.FromSeconds(1);
        var afterReuseLimit = validated.Find("header.payload.signature");

        Assert.Equal("auth0|alice", first?.FindFirstValue("sub"));
        Assert.NotSame(first, second);
        Assert.NotSame(first!.Identity, second!.Identity);
        Assert.NotSame(principal, first);
        Assert.Null(changedInOneByte);
        Assert.Null(afterReuseLimit);
    }

    [Fact]
    public void ATokenIsNeverRecognisedPastItsExpiry()
    {
        var clock = new ManualClock(Start);
        var validated = new ValidatedTokens(clock);
        validated.Remember("short-lived", Principal("auth0|bob"), Start.AddSeconds(30).UtcDateTime);
        validated.Remember("already-expired", Principal("auth0|bob"), Start.AddSeconds(-1).UtcDateTime);

        var whileValid = validated.Find("short-lived");
        clock.Now = Start.AddSeconds(31);

        Assert.NotNull(whileValid);
        Assert.Null(validated.Find("short-lived"));
        Assert.Null(validated.Find("already-expired"));
    }

    [Fact]
    public void ClaimsAddedByOneRequestDoNotReachTheNext()
    {
        var validated = new ValidatedTokens(new ManualClock(Start));
        validated.Remember("token", Principal("auth0|alice"), Start.AddHours(1).UtcDateTime);

        ((ClaimsIdentity)validated.Find("token")!.Identity!).AddClaim(new Claim("permissions", "admin:media"));

        Assert.False(validated.Find("token")!.HasClaim("permissions", "admin:media"));
    }

    [Fact]
    public void AFullStoreMakesRoomOnlyByDroppingExpiredTokens()
    {
        var clock = new ManualClock(Start);
        var validated = new ValidatedTokens(clock, capacity: 2);
        validated.Remember("first", Principal("auth0|alice"), Start.AddSeconds(30).UtcDateTime);
        validated.Remember("second", Principal("auth0|bob"), Start.AddHours(1).UtcDateTime);

        validated.Remember("third", Principal("auth0|vera"), Start.AddHours(1).UtcDateTime);
        var whileFull = (Count: validated.Count, Third: validated.Find("third"), First: validated.Find("first"));
        clock.Now = Start.AddSeconds(31);
        validated.Remember("third", Principal("auth0|vera"), Start.AddHours(1).UtcDateTime);

        Assert.Equal(2, whileFull.Count);
        Assert.Null(whileFull.Third);
        Assert.NotNull(whileFull.First);
        Assert.Equal(2, validated.Count);
        Assert.Null(validated.Find("first"));
        Assert.Equal("auth0|bob", validated.Find("second")?.FindFirstValue("sub"));
        Assert.Equal("auth0|vera", validated.Find("third")?.FindFirstValue("sub"));
    }

    private static ClaimsPrincipal Principal(string subject) =>
        new(new ClaimsIdentity([new Claim("sub", subject), new Claim("permissions", "read:media")], "Bearer", "sub", "role"));

    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
