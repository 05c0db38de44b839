using AgentSuite.Governance.Audit;

namespace AgentSuite.Storage.Postgres;

/// <summary>
/// Every instance's signed audit anchor, copied into the shared database (<c>audit_anchors</c>, one row per anchor
/// location), so that each instance compares the shared chain with all of them. Each original stays in its instance's
/// own anchor file, outside the database.
/// </summary>
public sealed class PostgresAuditAnchorPeers(PostgresGovernanceDatabase db) : IAuditAnchorPeers
{
    public async ValueTask PublishAsync(string source, AuditAnchor anchor, CancellationToken cancellationToken = default)
    {
        await using var command = db.DataSource.CreateCommand("""
            INSERT INTO audit_anchors (source, anchor, written_at) VALUES (@source, @anchor, now())
            ON CONFLICT (source) DO UPDATE SET anchor = excluded.anchor, written_at = excluded.written_at
            """);
        command.Parameters.AddWithValue("source", source);
        command.Parameters.AddWithValue("anchor", AuditAnchorJson.Serialize(anchor));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async ValueTask<IReadOnlyList<AuditPeerAnchor>> ReadAsync(CancellationToken cancellationToken = default)
    {
        var anchors = new List<AuditPeerAnchor>();
        await using var command = db.DataSource.CreateCommand("SELECT source, anchor FROM audit_anchors ORDER BY source");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var source = reader.GetString(0);
            try
            {
                anchors.Add(new AuditPeerAnchor(source, AuditAnchorJson.Deserialize(reader.GetString(1), $"the audit_anchors row of {source}")));
            }
            catch (InvalidDataException ex)
            {
                anchors.Add(new AuditPeerAnchor(source, null, ex.Message));
            }
        }

        return anchors;
    }

    public string Describe() => $"the audit_anchors table of {db.Target}";
}
