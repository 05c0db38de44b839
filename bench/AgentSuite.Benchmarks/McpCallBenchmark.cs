using System.Diagnostics;
using System.Text.Json;
using AgentSuite.Governance;
using AgentSuite.Governance.Audit;
using Microsoft.Extensions.AI;
using ModelContextProtocol.Client;

namespace AgentSuite.Benchmarks;

/// <summary>
/// One MCP tool call at a time over real stdio, in one run: bare (<see cref="McpClientTool.InvokeAsync"/> on the SDK's
/// client, its own server process) and governed (<see cref="GovernedTool.InvokeGovernedAsync"/> through the app's
/// catalog and the full pipeline, a second server process). A third way splits the difference: the governed tool's
/// inner function (<see cref="GovernedTool.Inner"/>, the app's reconnecting MCP connection without the pipeline), on
/// the governed path's server. The ways are interleaved call by call, the one going first rotating, so machine noise
/// hits all alike. Warm-up is at least <c>warmup</c> rounds and three seconds (tiered JIT in this process and in both
/// servers).
/// </summary>
internal sealed class McpCallBenchmark(int warmup, int timed, int split)
{
    private static readonly TimeSpan MinimumWarmup = TimeSpan.FromSeconds(3);

    /// <param name="expected">Text every result must contain, so a call that "succeeded" with the wrong answer is caught.</param>
    public async Task<McpCallResult> RunAsync(McpClientTool bare, GovernedMcpFixture governed, IReadOnlyDictionary<string, object?> modelArguments, string expected)
    {
        // The pin entries the catalog recorded when it discovered the server's tools.
        var atStart = await AuditVerifier.VerifyAsync(governed.Audit);
        var round = new Round(bare, governed, modelArguments, expected);

        var warmupRounds = 0;
        var warmupTime = Stopwatch.StartNew();
        while (warmupRounds < warmup || warmupTime.Elapsed < MinimumWarmup)
        {
            await round.TimeAsync(warmupRounds);
            warmupRounds++;
        }

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        var bareTicks = new long[timed];
        var connectionTicks = new long[timed];
        var governedTicks = new long[timed];
        for (var i = 0; i < timed; i++)
        {
            (bareTicks[i], connectionTicks[i], governedTicks[i]) = await round.TimeAsync(i);
        }

        // Then the same rounds again with the governed call split around its tool's run (its hooks cost a little, so
        // these calls are not in the timings above), and the audit append alone, back to back, on the same file.
        var before = new long[split];
        var tool = new long[split];
        var after = new long[split];
        governed.Split.On = true;
        for (var i = 0; i < split; i++)
        {
            await round.TimeAsync(i);
            (before[i], tool[i], after[i]) = governed.Split.Split(round.GovernedStart);
        }

        governed.Split.On = false;
        var appends = SampleAuditEntries.Create(1, split)[0];
        var append = new long[split];
        for (var i = 0; i < split; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await governed.Audit.AppendAsync(appends[i]);
            append[i] = Stopwatch.GetTimestamp() - start;
        }

        // Every governed call left an "allowed" and a "completed" entry after the pins, and the chain verifies.
        var audit = await AuditVerifier.VerifyAsync(governed.Audit);
        var parts = new McpCallParts(LatencySummary.From(before), LatencySummary.From(tool), LatencySummary.From(after), LatencySummary.From(append));
        return new McpCallResult(timed, LatencySummary.From(bareTicks), LatencySummary.From(connectionTicks), LatencySummary.From(governedTicks), parts, audit, atStart.Count + 2 * governed.Calls + split);
    }

    /// <summary>One call each way; round <c>n</c> starts with way <c>n mod 3</c>.</summary>
    private sealed class Round(McpClientTool bare, GovernedMcpFixture governed, IReadOnlyDictionary<string, object?> modelArguments, string expected)
    {
        public async Task<(long Bare, long Connection, long Governed)> TimeAsync(int n)
        {
            var ticks = new long[3];
            for (var k = 0; k < 3; k++)
            {
                var way = (n + k) % 3;
                ticks[way] = way switch
                {
                    0 => await UngovernedAsync("bare", bare),
                    1 => await UngovernedAsync("connection", governed.Tool.Inner),
                    _ => await GovernedAsync(),
                };
            }

            return (ticks[0], ticks[1], ticks[2]);
        }

        private async Task<long> UngovernedAsync(string way, AIFunction function)
        {
            var arguments = new AIFunctionArguments(modelArguments.ToDictionary());
            var start = Stopwatch.GetTimestamp();
            var result = await function.InvokeAsync(arguments);
            var ticks = Stopwatch.GetTimestamp() - start;
            Check(way, result);
            return ticks;
        }

        /// <summary>When the last governed call started.</summary>
        public long GovernedStart { get; private set; }

        private async Task<long> GovernedAsync()
        {
            var arguments = governed.NextArguments(modelArguments);
            var start = Stopwatch.GetTimestamp();
            GovernedStart = start;
            var outcome = await governed.Tool.InvokeGovernedAsync(arguments);
            var ticks = Stopwatch.GetTimestamp() - start;
            if (outcome.Status != ToolCallStatus.Completed)
            {
                throw new InvalidOperationException($"A governed call did not complete: {outcome}");
            }

            Check("governed", outcome.Result);
            return ticks;
        }

        private void Check(string way, object? result)
        {
            var text = result is null ? "" : JsonSerializer.Serialize(result);
            if (text.Contains("\"isError\":true", StringComparison.Ordinal) || !text.Contains(expected, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"A {way} call returned something other than the expected result (containing '{expected}'): {text}");
            }
        }
    }
}
