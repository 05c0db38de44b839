using System.Diagnostics;
using System.Text.Json;
using AgentSuite.Governance;
using Microsoft.Extensions.AI;

namespace AgentSuite.Benchmarks;

/// <summary>
/// A governed read-only MCP call (one at a time over stdio) with the governance stores on SQLite and on PostgreSQL, each
/// against its own connection without the pipeline (<see cref="GovernedTool.Inner"/>): what the pipeline and its store
/// add per call on each. The four ways are interleaved call by call, the first rotating, so machine noise hits all alike.
/// </summary>
internal sealed class StoreCallBenchmark(int warmup, int timed)
{
    public async Task<(LatencySummary SqliteInner, LatencySummary Sqlite, LatencySummary PostgresInner, LatencySummary Postgres)> RunAsync(
        GovernedMcpFixture sqlite, GovernedMcpFixture postgres, IReadOnlyDictionary<string, object?> modelArguments, string expected)
    {
        Func<Task<long>>[] ways =
        [
            () => InnerAsync(sqlite, modelArguments, expected),
            () => GovernedAsync(sqlite, modelArguments, expected),
            () => InnerAsync(postgres, modelArguments, expected),
            () => GovernedAsync(postgres, modelArguments, expected),
        ];
        for (var i = 0; i < warmup; i++)
        {
            foreach (var way in ways)
            {
                await way();
            }
        }

        var ticks = ways.Select(_ => new long[timed]).ToArray();
        for (var i = 0; i < timed; i++)
        {
            for (var k = 0; k < ways.Length; k++)
            {
                var way = (i + k) % ways.Length;
                ticks[way][i] = await ways[way]();
            }
        }

        return (LatencySummary.From(ticks[0]), LatencySummary.From(ticks[1]), LatencySummary.From(ticks[2]), LatencySummary.From(ticks[3]));
    }

    private static async Task<long> InnerAsync(GovernedMcpFixture fixture, IReadOnlyDictionary<string, object?> modelArguments, string expected)
    {
        var arguments = new AIFunctionArguments(modelArguments.ToDictionary());
        var start = Stopwatch.GetTimestamp();
        var result = await fixture.Tool.Inner.InvokeAsync(arguments);
        var ticks = Stopwatch.GetTimestamp() - start;
        Check(result, expected);
        return ticks;
    }

    private static async Task<long> GovernedAsync(GovernedMcpFixture fixture, IReadOnlyDictionary<string, object?> modelArguments, string expected)
    {
        var arguments = fixture.NextArguments(modelArguments);
        var start = Stopwatch.GetTimestamp();
        var outcome = await fixture.Tool.InvokeGovernedAsync(arguments);
        var ticks = Stopwatch.GetTimestamp() - start;
        if (outcome.Status != ToolCallStatus.Completed)
        {
            throw new InvalidOperationException($"A governed call did not complete: {outcome}");
        }

        Check(outcome.Result, expected);
        return ticks;
    }

    private static void Check(object? result, string expected)
    {
        var text = result is null ? "" : JsonSerializer.Serialize(result);
        if (text.Contains("\"isError\":true", StringComparison.Ordinal) || !text.Contains(expected, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"A call returned something other than the expected result (containing '{expected}'): {text}");
        }
    }
}
