using AgentSuite.Governance;
using AgentSuite.Governance.Audit;
using AgentSuite.Governance.Configuration;
using AgentSuite.Mcp;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AgentSuite.Benchmarks;

/// <summary>
/// The app's own wiring for one MCP server: governance on a real SQLite file (or the stores given), the MCP catalog starting the plugin
/// server as its own process over stdio, and one of its tools as the governed tool the agent loop would call.
/// Disposing the services closes the catalog, which ends the server process.
/// </summary>
internal sealed class GovernedMcpFixture : IAsyncDisposable
{
    public const string Agent = "billing";
    private const int Conversations = 1_000;

    private readonly ServiceProvider _services;
    private readonly AgentRunContext[] _runs;
    private readonly AgentRunContext[] _splitRuns;
    private long _nextCall;

    private GovernedMcpFixture(ServiceProvider services, GovernedTool tool)
    {
        _services = services;
        Tool = tool;
        var principal = new Principal("bench-user", Roles.User);
        _runs = Enumerable.Range(0, Conversations)
            .Select(i => new AgentRunContext($"conv-{i}", $"run-{i}", Agent, principal))
            .ToArray();

        // The same runs with the split's event sink; only the split phase uses them, so the timed calls publish no events.
        _splitRuns = _runs.Select(r => r with { Events = Split }).ToArray();
    }

    /// <summary>The innermost filter and event sink that split a governed call around its tool's run; off unless switched on.</summary>
    public GovernedCallSplit Split => _services.GetRequiredService<GovernedCallSplit>();

    /// <summary>The governed MCP tool (<c>server/tool</c> for policy, <c>server_tool</c> for the model).</summary>
    public GovernedTool Tool { get; }

    public IAuditStore Audit => _services.GetRequiredService<IAuditStore>();

    /// <summary>How many calls have been given arguments so far (each with its own tool-call id).</summary>
    public long Calls => _nextCall;

    /// <param name="server">The name in <c>Mcp:Servers</c>; the agent is allowed <c>server/*</c>.</param>
    /// <param name="stores">Registers the governance stores; a fresh SQLite file in <paramref name="folder"/> when null.</param>
    public static async Task<GovernedMcpFixture> StartAsync(TempFolder folder, string server, string plugin, string tool, Action<IServiceCollection>? stores = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"Mcp:Servers:{server}:Command"] = "dotnet",
            [$"Mcp:Servers:{server}:Arguments:0"] = BuiltPlugins.DllPath(plugin),
            [$"Mcp:Servers:{server}:Arguments:1"] = "--data",
            [$"Mcp:Servers:{server}:Arguments:2"] = folder.NewFile($"{server}-governed-{Guid.NewGuid():N}"),
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddGovernance(o =>
        {
            o.Agents[Agent] = new AgentPolicyOptions { Allow = [server + "/*"] };

            // Off (0): the benchmark repeats one call thousands of times, which is exactly what they exist to stop.
            o.Limits.PerConversationPerMinute = 0;
            o.Limits.PerToolPerMinute = 0;
            o.Limits.MaxIdenticalCallsPerRun = 0;
        });
        services.AddSingleton<GovernedCallSplit>();
        services.AddSingleton<IToolCallFilter>(sp => sp.GetRequiredService<GovernedCallSplit>());
        (stores ?? (s => s.AddSqliteGovernanceStores(folder.NewDatabase($"mcp-governance-{server}"))))(services);
        services.AddGovernedMcp(configuration.GetSection("Mcp"));
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        try
        {
            var tools = await provider.GetRequiredService<McpToolCatalog>().GetToolsAsync(server);
            var governed = tools.SingleOrDefault(t => t.Descriptor.Identity.Tool == tool)
                ?? throw new InvalidOperationException($"MCP server '{server}' does not serve '{tool}'.");
            return new GovernedMcpFixture(provider, governed);
        }
        catch
        {
            await provider.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// The arguments an agent loop passes: the model's arguments plus the run and a tool-call id never used before,
    /// round-robin over the conversations.
    /// </summary>
    public AIFunctionArguments NextArguments(IReadOnlyDictionary<string, object?> modelArguments)
    {
        var n = _nextCall++;
        var runs = Split.On ? _splitRuns : _runs;
        return new AIFunctionArguments(modelArguments.ToDictionary()).WithToolCall(runs[n % runs.Length], $"call-{n}");
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
