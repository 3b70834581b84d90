using Desirable.Media.Storage;

namespace Desirable.Media.Tests.Storage;

public sealed class SegmentStreamTests
{
    private static readonly byte[] First = [1, 2, 3, 4, 5];
    private static readonly byte[] Second = [6, 7, 8];

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(64)]
    public void ReadsTheSegmentsInOrderWhateverTheBufferSize(int bufferSize)
    {
        using var stream = new SegmentStream([new ArraySegment<byte>(First, 0, 4), new ArraySegment<byte>(Second)]);
        var read = new List<byte>();
        var buffer = new byte[bufferSize];
        int n;
        while ((n = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            read.AddRange(buffer.Take(n));
        }

        Assert.Equal([1, 2, 3, 4, 6, 7, 8], read);
        Assert.Equal(7, stream.Length);
    }

    [Fact]
    public async Task RewindsForARetry()
    {
        await using var stream = new SegmentStream([new ArraySegment<byte>(First), new ArraySegment<byte>(Second)]);
        var buffer = new byte[8];
        await stream.ReadExactlyAsync(buffer.AsMemory(0, 6), TestContext.Current.CancellationToken);
        stream.Seek(-3, SeekOrigin.End);
        Assert.Equal(3, await stream.ReadAsync(buffer, TestContext.Current.CancellationToken));
        Assert.Equal([6, 7, 8], buffer.Take(3));
        stream.Position = 4;
        Assert.Equal(5, stream.ReadByte());
        Assert.Equal(0, stream.Read(buffer, 0, 0));
    }
}
