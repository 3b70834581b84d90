using Microsoft.Extensions.Options;

namespace Desirable.MediaProcessor.Images;

/// <summary>
/// The memory the processor's image decodes may hold at once (<see cref="ProcessingOptions.DecodeMemoryBudgetBytes"/>).
/// Each decode reserves its estimate (from the header, before decoding) and waits, first come first served, while the
/// budget is taken; one that would need more than the whole budget is refused. So a large image waits for the small
/// ones in flight instead of taking the processor down with them.
/// </summary>
public sealed class DecodeBudget(IOptions<ProcessingOptions> options, ProcessingMetrics metrics)
{
    private readonly Lock _lock = new();
    private readonly LinkedList<(long Bytes, TaskCompletionSource Granted)> _waiting = new();
    private long _reserved;

    public long Total => options.Value.DecodeMemoryBudgetBytes;

    /// <summary>Bytes reserved now.</summary>
    public long Reserved
    {
        get
        {
            lock (_lock)
            {
                return _reserved;
            }
        }
    }

    /// <summary>Runs <paramref name="decode"/> on the thread pool once <paramref name="bytes"/> of the budget are its.</summary>
    /// <exception cref="ProcessingRefusedException">More than the whole budget.</exception>
    public async Task<T> RunAsync<T>(long bytes, Func<T> decode, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(decode);
        if (bytes > Total)
        {
            throw new ProcessingRefusedException(
                $"The image is too large to process: decoding it needs about {Megabytes(bytes)} MB of memory, " +
                $"more than the {Megabytes(Total)} MB this service allows.");
        }

        await ReserveAsync(bytes, cancellationToken);
        try
        {
            return await Task.Run(decode, cancellationToken);
        }
        finally
        {
            Release(bytes);
        }
    }

    private async Task ReserveAsync(long bytes, CancellationToken cancellationToken)
    {
        LinkedListNode<(long, TaskCompletionSource)> node;
        lock (_lock)
        {
            // First come, first served: a large decode is not overtaken for ever by small ones.
            if (_waiting.Count == 0 && _reserved + bytes <= Total)
            {
                _reserved += bytes;
                metrics.DecodeMemory(bytes);
                return;
            }

            node = _waiting.AddLast((bytes, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)));
        }

        metrics.DecodeWaited();
        try
        {
            await node.Value.Item2.Task.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            lock (_lock)
            {
                if (node.List is not null)
                {
                    _waiting.Remove(node);
                    GrantWaiting();
                    throw;
                }
            }

            // Granted just as it was cancelled: give it back.
            Release(bytes);
            throw;
        }
    }

    private void Release(long bytes)
    {
        lock (_lock)
        {
            _reserved -= bytes;
            metrics.DecodeMemory(-bytes);
            GrantWaiting();
        }
    }

    // Under the lock.
    private void GrantWaiting()
    {
        while (_waiting.First is { } first && _reserved + first.Value.Bytes <= Total)
        {
            _waiting.RemoveFirst();
            _reserved += first.Value.Bytes;
            metrics.DecodeMemory(first.Value.Bytes);
            first.Value.Granted.TrySetResult();
        }
    }

    private static long Megabytes(long bytes) => (bytes + 999_999) / 1_000_000;
}
