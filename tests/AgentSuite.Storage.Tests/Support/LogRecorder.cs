using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace AgentSuite.Storage.Tests.Support;

/// <summary>Keeps every message a component logs, to count what it reported (a real logger, writing to a list).</summary>
public sealed class LogRecorder<T> : ILogger<T>
{
    public ConcurrentQueue<(LogLevel Level, string Message)> Entries { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Entries.Enqueue((logLevel, formatter(state, exception)));

    public int Count(LogLevel level) => Entries.Count(e => e.Level == level);
}
