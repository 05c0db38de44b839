using AgentSuite.Governance.Audit;

namespace AgentSuite.Benchmarks;

/// <summary>The same tool called five ways in one interleaved loop, and the audit chain the governed calls left.</summary>
internal sealed record KernelCallResult(
    int TimedCalls,
    CallMeasurement Direct,
    CallMeasurement DirectGoverned,
    CallMeasurement Kernel,
    CallMeasurement KernelGoverned,
    CallMeasurement KernelDurable,
    AuditVerification Audit,
    long ExpectedAuditEntries)
{
    /// <summary>What the governance filter adds to one tool round through a kernel.</summary>
    public double KernelAddedMedianUs => KernelGoverned.Latency.MedianUs - Kernel.Latency.MedianUs;

    public double KernelAddedBytesPerCall => KernelGoverned.BytesPerCall - Kernel.BytesPerCall;

    /// <summary>What a durable turn's checkpoint (the response and the outcome recorded, written in the background) adds to a governed round.</summary>
    public double CheckpointAddedMedianUs => KernelDurable.Latency.MedianUs - KernelGoverned.Latency.MedianUs;

    public double CheckpointAddedBytesPerCall => KernelDurable.BytesPerCall - KernelGoverned.BytesPerCall;

    /// <summary>What governance adds to the direct call (the overhead benchmark's figure), in the same loop.</summary>
    public double DirectAddedMedianUs => DirectGoverned.Latency.MedianUs - Direct.Latency.MedianUs;

    public double DirectAddedBytesPerCall => DirectGoverned.BytesPerCall - Direct.BytesPerCall;

    public bool AuditOk => Audit.Ok && Audit.Count == ExpectedAuditEntries;
}
