using AgentSuite.Governance.Audit;

namespace AgentSuite.Benchmarks;

/// <summary>The bare and the governed call of one tool variant, and the audit chain the governed calls left.</summary>
internal sealed record OverheadResult(string Variant, int TimedCalls, CallMeasurement Bare, CallMeasurement Governed, AuditVerification Audit, long ExpectedAuditEntries)
{
    public double AddedMedianUs => Governed.Latency.MedianUs - Bare.Latency.MedianUs;

    public double AddedBytesPerCall => Governed.BytesPerCall - Bare.BytesPerCall;

    public bool AuditOk => Audit.Ok && Audit.Count == ExpectedAuditEntries;
}
