using System.Collections.Concurrent;

namespace AgentSuite.Governance.Tests.Support;

public sealed class RecordingEvents : IGovernanceEventSink
{
    private readonly ConcurrentQueue<GovernanceEvent> _events = new();

    public IReadOnlyList<GovernanceEvent> Events => _events.ToArray();

    public IReadOnlyList<string> Types => _events.Select(e => e.Decision is null ? e.Type : $"{e.Type}:{e.Decision}").ToArray();

    public void Publish(GovernanceEvent governanceEvent) => _events.Enqueue(governanceEvent);

    /// <summary>Waits until an event of <paramref name="type"/> arrives (the turn is still running in the background).</summary>
    public async Task<GovernanceEvent> WaitForAsync(string type, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (DateTime.UtcNow < deadline)
        {
            var found = _events.FirstOrDefault(e => e.Type == type);
            if (found is not null)
            {
                return found;
            }

            await Task.Delay(10);
        }

        throw new TimeoutException($"No '{type}' event; saw: {string.Join(", ", Types)}");
    }
}
