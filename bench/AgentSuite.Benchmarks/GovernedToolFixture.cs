using AgentSuite.Governance;
using AgentSuite.Governance.Audit;
using AgentSuite.Governance.Configuration;
using AgentSuite.Storage.Sqlite;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace AgentSuite.Benchmarks;

/// <summary>
/// The full default pipeline on a real SQLite file, one governed <see cref="ForecastTool"/>, and a pool of runs
/// (conversations) the calls are spread over.
/// </summary>
internal sealed class GovernedToolFixture : IDisposable
{
    public const string Agent = "bench-agent";
    private const int Conversations = 1_000;

    private readonly ServiceProvider _services;
    private readonly AgentRunContext[] _runs;
    private long _nextCall;

    /// <param name="limitsOn">
    /// False switches the rate limits and loop detection off (0): the benchmark repeats one call with the same
    /// arguments thousands of times, which is exactly what they exist to stop. True keeps them on with limits too high
    /// to trigger, so their cost is measured.
    /// </param>
    public GovernedToolFixture(string connectionString, ToolAnnotations annotations, bool limitsOn = false, SqliteDurability durability = SqliteDurability.ProcessCrash)
    {
        var services = new ServiceCollection();
        services.AddGovernance(o =>
        {
            o.Agents[Agent] = new AgentPolicyOptions { Allow = [ForecastTool.Server + "/*"] };
            var limit = limitsOn ? 1_000_000 : 0;
            o.Limits.PerConversationPerMinute = limit;
            o.Limits.PerToolPerMinute = limit;
            o.Limits.MaxIdenticalCallsPerRun = limit;
        });
        services.AddSqliteGovernanceStores(new SqliteStorageOptions { ConnectionString = connectionString, Durability = durability });
        _services = services.BuildServiceProvider();

        Inner = ForecastTool.Create();
        Tool = _services.GetRequiredService<GovernedToolFactory>().Create(Inner, ForecastTool.Server, annotations);
        var principal = new Principal("bench-user", Roles.User);
        _runs = Enumerable.Range(0, Conversations)
            .Select(i => new AgentRunContext($"conv-{i}", $"run-{i}", Agent, principal))
            .ToArray();
    }

    /// <summary>The bare function.</summary>
    public AIFunction Inner { get; }

    /// <summary>The same function behind governance.</summary>
    public GovernedTool Tool { get; }

    public IAuditStore Audit => _services.GetRequiredService<IAuditStore>();

    /// <summary>The governance services, for a caller that assembles its own invoker (the kernel benchmark).</summary>
    public IServiceProvider Services => _services;

    /// <summary>The runs (conversations) the calls are spread over.</summary>
    public IReadOnlyList<AgentRunContext> Runs => _runs;

    /// <summary>How many calls have been given arguments so far (each with its own tool-call id).</summary>
    public long Calls => _nextCall;

    /// <summary>
    /// The arguments an agent loop passes: the model's arguments plus the run and a tool-call id never used before,
    /// round-robin over the conversations.
    /// </summary>
    public AIFunctionArguments NextArguments()
    {
        var n = _nextCall++;
        var arguments = new AIFunctionArguments(new Dictionary<string, object?> { ["city"] = "Oslo" });
        return arguments.WithToolCall(_runs[n % _runs.Length], $"call-{n}");
    }

    public void Dispose() => _services.Dispose();
}
