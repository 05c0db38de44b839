using AgentSuite.Governance.Audit;

namespace AgentSuite.Benchmarks;

/// <summary>The timed turns' figures, one slot per turn, gathered as they run.</summary>
internal sealed class TurnParts(int turns)
{
    private readonly long[] _turn = new long[turns];
    private readonly long[] _bare = new long[turns];
    private readonly long[] _getInvoice = new long[turns];
    private readonly long[] _checkRefund = new long[turns];
    private readonly long[] _mcp = new long[turns];
    private readonly long[] _governance = new long[turns];
    private readonly long[] _mcpGovernance = new long[turns];
    private readonly long[] _handOffGovernance = new long[turns];
    private readonly long[] _model = new long[turns];
    private readonly long[] _rest = new long[turns];
    private readonly long[] _runtime = new long[turns];
    private readonly double[] _runtimeShare = new double[turns];

    public void Add(int i, long turn, (long GetInvoice, long CheckRefund) bare, TurnClock clock)
    {
        _turn[i] = turn;
        (_getInvoice[i], _checkRefund[i]) = bare;
        _bare[i] = bare.GetInvoice + bare.CheckRefund;
        _mcp[i] = clock.McpTicks;
        _governance[i] = clock.GovernanceTicks;
        _mcpGovernance[i] = clock.McpGovernanceTicks;
        _handOffGovernance[i] = clock.HandOffGovernanceTicks;
        _model[i] = clock.ModelTicks;
        _rest[i] = turn - clock.McpTicks - clock.GovernanceTicks - clock.ModelTicks;
        _runtime[i] = turn - clock.McpTicks - clock.GovernanceTicks;
        _runtimeShare[i] = (double)_runtime[i] / turn;
    }

    public TurnBenchmarkResult Result(long completedInAudit, long expectedCompleted, AuditVerification audit) => new(
        turns,
        LatencySummary.From(_turn),
        LatencySummary.From(_bare),
        LatencySummary.From(_getInvoice),
        LatencySummary.From(_checkRefund),
        LatencySummary.From(_mcp),
        LatencySummary.From(_governance),
        LatencySummary.From(_mcpGovernance),
        LatencySummary.From(_handOffGovernance),
        LatencySummary.From(_model),
        LatencySummary.From(_rest),
        LatencySummary.From(_runtime),
        Median(_runtimeShare),
        completedInAudit,
        expectedCompleted,
        audit);

    private static double Median(double[] values)
    {
        var sorted = (double[])values.Clone();
        Array.Sort(sorted);
        return sorted[(sorted.Length - 1) / 2];
    }
}
