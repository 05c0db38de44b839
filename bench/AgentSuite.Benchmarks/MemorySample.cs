namespace AgentSuite.Benchmarks;

/// <summary>One reading of the Api's memory: the managed heap after full collections (in process only), and the working set.</summary>
internal sealed record MemorySample(string Point, long? HeapBytes, long WorkingSetBytes);
