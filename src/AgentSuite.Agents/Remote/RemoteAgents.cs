using AgentSuite.Governance.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentSuite.Agents.Remote;

/// <summary>
/// The agents of <c>Agents:Remote</c>, each with its one MCP client. Over the app's resilient HTTP client when it registers
/// one (<c>Func&lt;string, HttpClient&gt;</c>, as for MCP servers): a connection that could not be made is retried, a
/// request that reached the remote never is by the handler (the hand-off itself asks again, with the same key).
/// </summary>
public sealed class RemoteAgents : IAsyncDisposable
{
    private readonly Dictionary<string, RemoteAgent> _agents;

    public RemoteAgents(IOptions<AgentsOptions> options, GovernancePolicyProvider policies, ILoggerFactory loggers, TimeProvider time, Func<string, HttpClient>? httpClients = null)
    {
        _agents = options.Value.Remote.ToDictionary(
            r => r.Key,
            r => new RemoteAgent(r.Key, r.Value, policies, httpClients is null ? null : () => httpClients("agent:" + r.Key), loggers, time),
            StringComparer.Ordinal);
    }

    public IReadOnlyCollection<RemoteAgent> All => _agents.Values;

    /// <summary>The remote agent of this name, or null when the agent runs in this process.</summary>
    public RemoteAgent? Get(string name) => _agents.GetValueOrDefault(name);

    public async ValueTask DisposeAsync()
    {
        foreach (var agent in _agents.Values)
        {
            await agent.DisposeAsync();
        }
    }
}
