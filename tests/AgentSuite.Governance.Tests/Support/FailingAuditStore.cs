using AgentSuite.Governance.Audit;

namespace AgentSuite.Governance.Tests.Support;

/// <summary>An audit store whose disk is gone: every append throws.</summary>
public sealed class FailingAuditStore : IAuditStore
{
    public int Attempts { get; private set; }

    public ValueTask<AuditRecord> AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        Attempts++;
        throw new IOException("disk I/O error (simulated)");
    }

    public async IAsyncEnumerable<AuditRecord> ReadAsync(AuditQuery query, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.CompletedTask;
        yield break;
    }
}
