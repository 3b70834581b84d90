using Desirable.MediaProcessor.Images;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Desirable.MediaProcessor.Tests;

/// <summary>The processor's decode memory budget: decodes wait their turn, in order, and one above it all is refused.</summary>
public sealed class DecodeBudgetTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task DecodesBeyondTheBudgetWaitAndStartInTheOrderTheyCame()
    {
        var budget = Budget(100);
        var first = Hold(budget, 70);
        await WaitForAsync(() => budget.Reserved == 70);

        // 50 does not fit beside 70; 20 would, but does not overtake the 50 that came first.
        var large = Hold(budget, 50);
        var small = Hold(budget, 20);
        await Task.Delay(100, Ct);
        Assert.Equal(70, budget.Reserved);
        Assert.False(large.Started.Task.IsCompleted);
        Assert.False(small.Started.Task.IsCompleted);

        first.Finish.SetResult();
        await Task.WhenAll(large.Started.Task, small.Started.Task).WaitAsync(TimeSpan.FromSeconds(5), Ct);
        Assert.Equal(70, budget.Reserved);

        large.Finish.SetResult();
        small.Finish.SetResult();
        await Task.WhenAll(first.Done, large.Done, small.Done);
        Assert.Equal(0, budget.Reserved);
    }

    [Fact]
    public async Task ADecodeNeedingMoreThanTheWholeBudgetIsRefusedWithAPlainReason()
    {
        var budget = Budget(16_000_000);

        var error = await Assert.ThrowsAsync<ProcessingRefusedException>(() => budget.RunAsync(30_000_000, () => 0, Ct));

        Assert.Equal("The image is too large to process: decoding it needs about 30 MB of memory, more than the 16 MB this service allows.", error.Message);
        Assert.Equal(0, budget.Reserved);
    }

    [Fact]
    public async Task AWaitingDecodeThatIsCancelledGivesUpItsPlaceAndTheNextOneRuns()
    {
        var budget = Budget(100);
        var first = Hold(budget, 100);
        await WaitForAsync(() => budget.Reserved == 100);
        using var cancel = new CancellationTokenSource();
        var cancelled = budget.RunAsync(90, () => 0, cancel.Token);
        var next = Hold(budget, 10);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        first.Finish.SetResult();
        await next.Started.Task.WaitAsync(TimeSpan.FromSeconds(5), Ct);
        next.Finish.SetResult();
        await Task.WhenAll(first.Done, next.Done);
        Assert.Equal(0, budget.Reserved);
    }

    private DecodeBudget Budget(long bytes) => new(
        Options.Create(new ProcessingOptions { DecodeMemoryBudgetBytes = bytes }),
        new ProcessingMetrics(_services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()));

    /// <summary>A decode that reserves <paramref name="bytes"/>, says when it starts, and ends when told.</summary>
    private static Held Hold(DecodeBudget budget, long bytes)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var finish = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var done = budget.RunAsync(bytes, () =>
        {
            started.SetResult();
            finish.Task.Wait(Ct);
            return 0;
        }, Ct);
        return new Held(started, finish, done);
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var i = 0; i < 100 && !condition(); i++)
        {
            await Task.Delay(20, Ct);
        }

        Assert.True(condition());
    }

    private sealed record Held(TaskCompletionSource Started, TaskCompletionSource Finish, Task Done);

    public void Dispose() => _services.Dispose();
}
