namespace AgentSuite.Benchmarks;

/// <summary>
/// One reading of the Api's memory: the managed heap after full collections (in process only), the working set, and
/// for the Api's own process the working set again just after a full collection induced from outside.
/// </summary>
internal sealed record MemorySample(string Point, long? HeapBytes, long WorkingSetBytes)
{
    public long? CollectedWorkingSetBytes { get; init; }

    /// <summary>What the limits filter holds (in process only): rate windows and indexed runs.</summary>
    public (int Windows, int Runs)? LimitsHeld { get; init; }
}
