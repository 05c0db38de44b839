using System.Diagnostics;
using System.Text.Json;
using AgentSuite.Governance.Audit;
using Microsoft.Extensions.AI;

namespace AgentSuite.Benchmarks;

/// <summary>
/// Governance overhead: the same trivial tool called bare (<c>inner.InvokeAsync</c>) and through the full pipeline,
/// one call at a time. Each path is warmed up (at least <c>warmup</c> calls and two seconds, so tiered JIT has
/// finished), then <c>timed</c> calls are timed one by one, then a separate batch is run to count the managed bytes
/// allocated per call.
/// </summary>
internal sealed class OverheadBenchmark(int warmup, int timed, int allocationBatch)
{
    private static readonly TimeSpan MinimumWarmup = TimeSpan.FromSeconds(2);

    public async Task<OverheadResult> RunAsync(string variant, GovernedToolFixture fixture)
    {
        var (bare, _) = await MeasureAsync(fixture, fixture.Inner.InvokeAsync, CheckBare);
        var (governed, governedCalls) = await MeasureAsync(fixture, fixture.Tool.InvokeAsync, CheckGoverned);

        // Every governed call must have been allowed and completed: an "allowed" and a "completed" entry each,
        // after the one entry that pinned the tool on first use.
        var audit = await AuditVerifier.VerifyAsync(fixture.Audit);
        return new OverheadResult(variant, timed, bare, governed, audit, 1 + 2L * governedCalls);
    }

    /// <summary>The measurement, and how many calls were made in all.</summary>
    private async Task<(CallMeasurement, long Calls)> MeasureAsync(GovernedToolFixture fixture, Func<AIFunctionArguments, CancellationToken, ValueTask<object?>> invoke, Action<object?> check)
    {
        var warmupCalls = 0;
        var warmupTime = Stopwatch.StartNew();
        while (warmupCalls < warmup || warmupTime.Elapsed < MinimumWarmup)
        {
            check(await invoke(fixture.NextArguments(), CancellationToken.None));
            warmupCalls++;
        }

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        var ticks = new long[timed];
        for (var i = 0; i < timed; i++)
        {
            var arguments = fixture.NextArguments();
            var start = Stopwatch.GetTimestamp();
            await invoke(arguments, CancellationToken.None);
            ticks[i] = Stopwatch.GetTimestamp() - start;
        }

        // Includes building the arguments (the same for both paths), so the difference is what governance adds.
        var before = GC.GetTotalAllocatedBytes(precise: true);
        for (var i = 0; i < allocationBatch; i++)
        {
            await invoke(fixture.NextArguments(), CancellationToken.None);
        }

        var bytesPerCall = (GC.GetTotalAllocatedBytes(precise: true) - before) / (double)allocationBatch;
        return (new CallMeasurement(LatencySummary.From(ticks), bytesPerCall), warmupCalls + timed + allocationBatch);
    }

    private static void CheckBare(object? result)
    {
        if (result is null)
        {
            throw new InvalidOperationException("The bare tool returned nothing.");
        }
    }

    /// <summary>A governed result is the screening envelope; a denial would be {"status":"denied",...} instead.</summary>
    private static void CheckGoverned(object? result)
    {
        if (result is not JsonElement { ValueKind: JsonValueKind.Object } envelope
            || !envelope.TryGetProperty("type", out var type)
            || type.GetString() != "tool_result")
        {
            throw new InvalidOperationException($"The governed call did not complete: {result}");
        }
    }
}
