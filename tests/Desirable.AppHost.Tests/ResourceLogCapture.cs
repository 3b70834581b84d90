using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Desirable.AppHost.Tests;

/// <summary>
/// Keeps the last lines each resource logged. Aspire forwards resource logs to the AppHost's loggers under the
/// category <c>{AppHost}.Resources.{name}</c> as they happen; reading them back from the resource logger service
/// after a resource has exited gives nothing, so they are kept from the start.
/// </summary>
internal sealed class ResourceLogCapture : ILoggerProvider
{
    private const string CategoryMarker = ".Resources.";
    private const int LinesKept = 200;

    private readonly ConcurrentDictionary<string, ConcurrentQueue<string>> _lines = new(StringComparer.Ordinal);

    public IReadOnlyList<string> LinesOf(string resourceName) =>
        _lines.TryGetValue(resourceName, out var lines) ? [.. lines] : [];

    public ILogger CreateLogger(string categoryName)
    {
        var marker = categoryName.LastIndexOf(CategoryMarker, StringComparison.Ordinal);
        return marker < 0
            ? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance
            : new ResourceLogger(_lines.GetOrAdd(categoryName[(marker + CategoryMarker.Length)..], _ => new()));
    }

    public void Dispose()
    {
    }

    private sealed class ResourceLogger(ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lines.Enqueue(formatter(state, exception));
            while (lines.Count > LinesKept && lines.TryDequeue(out _))
            {
            }
        }
    }
}
