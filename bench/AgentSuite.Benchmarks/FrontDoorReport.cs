using System.Diagnostics;
using System.Globalization;

namespace AgentSuite.Benchmarks;

/// <summary>The frontdoor part of the benchmarks: runs <see cref="FrontDoorBenchmark"/> and prints its tables.</summary>
internal static class FrontDoorReport
{
    private const int Agents = 50;

    public static async Task RunAsync(TempFolder folder)
    {
        var duration = TimeSpan.FromSeconds(20);
        Console.WriteLine($"## The front door: {Agents} external agents calling ask_coordinator over MCP at once (Api as its own process, {duration.TotalSeconds:F0} s a phase)");
        Console.WriteLine();
        var started = Stopwatch.StartNew();
        var r = await new FrontDoorBenchmark(Agents, warmup: TimeSpan.FromSeconds(3), duration).RunAsync(folder.NewFolder("frontdoor"));
        Console.Error.WriteLine($"  frontdoor done in {started.Elapsed.TotalSeconds:F1} s");

        var table = new MarkdownTable("Phase", "Agents:", "Calls:", "Calls/s:", "p50 ms:", "p99 ms:", "Errors:", "Refusals:", "CPU ms/call: Api:", "plugins:", "agents:", "Busy cores: ours:", "machine:");
        foreach (var (label, p) in new[]
        {
            ("HTTP API: fresh requests (POST conversation + message)", r.Http),
            ("front door: the same fresh requests (ask_coordinator)", r.Fresh),
            ("front door: one persistent agent alone", r.OneAgent),
            ("front door: persistent agents (keys, retries, a reused key)", r.Persistent),
        })
        {
            table.Add(
                label, N(p.Agents), N(p.Tally.Calls), F(p.CallsPerSecond), F(p.Latency.MedianUs / 1000), F(p.Latency.P99Us / 1000), N(p.Tally.ErrorCount), N(p.Tally.RefusalCount),
                F(p.CpuMsPerCall(p.Cpu.Api), 2), F(p.CpuMsPerCall(p.Cpu.Plugins), 2), F(p.CpuMsPerCall(p.Cpu.Client), 2), F(p.BusyCores, 2), F(p.Machine.BusyCores, 2));
        }

        Console.WriteLine(table);
        Console.WriteLine($"- front door ÷ HTTP API, the same fresh requests from {Agents} agents: calls/s {F(r.Fresh.CallsPerSecond / r.Http.CallsPerSecond, 2)}, p50 {F(r.Fresh.Latency.MedianUs / r.Http.Latency.MedianUs, 2)}×");
        Console.WriteLine($"- calls per CPU-second of the Api and its plugins (robust to other load on the machine): HTTP API {F(r.Http.CallsPerServerCoreSecond)}, front door {F(r.Fresh.CallsPerServerCoreSecond)} (ratio {F(r.Fresh.CallsPerServerCoreSecond / r.Http.CallsPerServerCoreSecond, 2)}), persistent agents {F(r.Persistent.CallsPerServerCoreSecond)}");
        Console.WriteLine($"- {Agents} persistent agents ÷ one alone: calls/s {F(r.Persistent.CallsPerSecond / r.OneAgent.CallsPerSecond, 2)}, p50 {F(r.Persistent.Latency.MedianUs / r.OneAgent.Latency.MedianUs, 2)}×");
        Console.WriteLine($"- the persistent phase's calls by kind: {string.Join(", ", r.Persistent.Tally.CallsByKind.OrderByDescending(k => k.Value).Select(k => $"{k.Key} {N(k.Value)}"))}");
        Console.WriteLine($"- refusals by reason, every phase: {Reasons(r.Phases.SelectMany(p => p.Tally.Refusals))}");
        Console.WriteLine($"- errors, every phase and the warm-up: {N(r.Errors)}{(r.Errors > 0 ? ": " + Reasons(r.Phases.Select(p => p.Tally).Append(r.WarmUp).SelectMany(t => t.Errors)) : "")}");

        var (paidNotAnswered, answeredNotPaid) = r.Ledger.Compare(r.Book);
        Console.WriteLine(
            $"- Billing's file (billing.db): {N(r.Ledger.BenchRefunds.Count)} refunds for {N(r.Book.Answered.Count)} refund requests answered; double refunds {N(r.Ledger.DoubleRefunds)} " +
            $"({N(r.Ledger.RepeatedPayments)} requests paid more than once, {N(r.Ledger.OverRefundedCharges)} charges refunded beyond their amount); " +
            $"paid but not answered {N(paidNotAnswered)}, answered but not paid {N(answeredNotPaid)}");
        Console.WriteLine($"- audit chain (GET /api/audit/verify): {(r.Audit.Ok ? $"Ok, {N(r.Audit.Count)} entries" : $"FAILED: {N(r.Audit.Count)} entries, {r.Audit.Problem}")}");
        var met = r.Errors == 0 && r.Ledger.DoubleRefunds == 0 && paidNotAnswered == 0 && answeredNotPaid == 0 && r.Audit.Ok;

        // Printed, not thrown: the other parts of "all" still run, and this line says the figure does not hold.
        Console.WriteLine($"- 0 errors, 0 double refunds, every refund answered and every answer paid, audit chain Ok: {(met ? "met" : "NOT met")}");
        Console.WriteLine();
    }

    private static string Reasons(IEnumerable<KeyValuePair<string, int>> counts)
    {
        var merged = counts.GroupBy(c => c.Key, StringComparer.Ordinal).Select(g => (Reason: g.Key, Count: g.Sum(c => c.Value))).OrderByDescending(g => g.Count).ToList();
        return merged.Count == 0 ? "none" : string.Join("; ", merged.Take(8).Select(g => $"{g.Reason}: {N(g.Count)}")) + (merged.Count > 8 ? $"; and {merged.Count - 8} more reasons" : "");
    }

    private static string F(double value, int decimals = 1) => value.ToString("F" + decimals, CultureInfo.InvariantCulture);

    private static string N(double value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
