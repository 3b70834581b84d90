using Desirable.MediaService.Apis;

namespace Desirable.MediaService.Tests.Apis;

public class ByteRangeRequestTests
{
    [Theory]
    [InlineData("bytes=0-9", 0, 9)]
    [InlineData("bytes=10-", 10, 99)]
    [InlineData("bytes=-10", 90, 99)]
    [InlineData("bytes=90-1000", 90, 99)]
    [InlineData("bytes=-1000", 0, 99)]
    [InlineData("bytes=99-99", 99, 99)]
    public void ResolvesASingleRange(string header, long from, long to)
    {
        var range = ByteRangeRequest.Resolve(header, objectLength: 100, out var satisfiable);

        Assert.True(satisfiable);
        Assert.Equal(new ByteRangeRequest(from, to), range);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("items=0-9")]
    [InlineData("bytes=0-1,5-6")]
    [InlineData("bytes=garbage")]
    public void ServesTheWholeObjectForAbsentOrUnsupportedRanges(string? header)
    {
        Assert.Null(ByteRangeRequest.Resolve(header, objectLength: 100, out var satisfiable));
        Assert.True(satisfiable);
    }

    [Theory]
    [InlineData("bytes=100-")]
    [InlineData("bytes=500-600")]
    [InlineData("bytes=-0")]
    public void RefusesRangesPastTheEnd(string header)
    {
        Assert.Null(ByteRangeRequest.Resolve(header, objectLength: 100, out var satisfiable));
        Assert.False(satisfiable);
    }
}
