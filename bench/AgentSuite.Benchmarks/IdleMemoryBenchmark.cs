using System.Diagnostics;
using System.Runtime;

namespace AgentSuite.Benchmarks;

/// <summary>
/// Memory the Api holds per idle conversation: the Api in this process, warmed up with <c>warmup</c> turns; then the
/// managed heap (<see cref="GC.GetTotalMemory(bool)"/> after full, blocking, compacting collections) and the process
/// working set are read before and after <c>conversations</c> new conversations with one completed refund turn each.
/// Turns run one at a time, so the thread pool and connection pools are the same size before and after.
/// </summary>
internal sealed class IdleMemoryBenchmark(int warmup, int conversations)
{
    public async Task<IdleMemoryResult> RunAsync(string variant, string dataFolder, bool limitsOff)
    {
        await using var api = await InProcessApi.StartAsync(dataFolder, limitsOff);
        using var client = new ApiTurnClient(api.BaseAddress, connections: 1);
        await ConcurrentTurns.CountAsync(client, concurrency: 1, warmup);

        var (heapBefore, workingSetBefore) = await SettleAsync();
        await ConcurrentTurns.CountAsync(client, concurrency: 1, conversations);
        var (heapAfter, workingSetAfter) = await SettleAsync();
        return new IdleMemoryResult(variant, conversations, heapAfter - heapBefore, workingSetAfter - workingSetBefore);
    }

    /// <summary>This process's managed heap and working set after full, blocking, compacting collections.</summary>
    public static async Task<(long Heap, long WorkingSet)> SettleAsync()
    {
        // Let work the last turns started in the background (audit index, connection pool returns) finish first.
        await Task.Delay(500);
        for (var i = 0; i < 2; i++)
        {
            GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        var heap = GC.GetTotalMemory(forceFullCollection: true);
        using var self = Process.GetCurrentProcess();
        return (heap, self.WorkingSet64);
    }
}
