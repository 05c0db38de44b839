namespace AgentSuite.Storage.Postgres;

/// <summary>
/// The audit chain's tables. <c>audit_head</c> is the one row every instance locks to extend the chain, so appends from
/// all instances queue on it and get consecutive seqs. Times are split into a timestamptz (microseconds) and the
/// 100-ns digit it cannot hold, so the time that was hashed reads back exactly; <c>data</c> is the canonical JSON text
/// that was hashed (jsonb would reorder and renormalise it).
/// </summary>
internal static class PostgresAuditSchema
{
    public const string Sql = """
        CREATE TABLE IF NOT EXISTS audit_log (
            seq             BIGINT PRIMARY KEY,
            at              TIMESTAMPTZ NOT NULL,
            at_tick         SMALLINT NOT NULL,
            kind            TEXT NOT NULL,
            conversation_id TEXT,
            run_id          TEXT,
            agent           TEXT,
            principal       TEXT,
            tool            TEXT,
            tool_call_id    TEXT,
            decision        TEXT,
            reason          TEXT,
            data            TEXT,
            prev_hash       TEXT NOT NULL,
            hash            TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS ix_audit_log_conversation ON audit_log (conversation_id, seq) WHERE conversation_id IS NOT NULL;
        -- Times rise with seq, so a block-range index serves the time windows at almost no cost to an append.
        CREATE INDEX IF NOT EXISTS ix_audit_log_at ON audit_log USING brin (at);
        CREATE TABLE IF NOT EXISTS audit_head (
            id              INTEGER PRIMARY KEY CHECK (id = 1),
            seq             BIGINT NOT NULL,
            hash            TEXT NOT NULL
        );
        INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000') ON CONFLICT (id) DO NOTHING;
        -- Each instance's signed anchor, copied here so that every instance can check them all (the signed original
        -- stays outside the database, in the instance's own anchor file).
        CREATE TABLE IF NOT EXISTS audit_anchors (
            source          TEXT PRIMARY KEY,
            anchor          TEXT NOT NULL,
            written_at      TIMESTAMPTZ NOT NULL DEFAULT now()
        );
        """;
}
