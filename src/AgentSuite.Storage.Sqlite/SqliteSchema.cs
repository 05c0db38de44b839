namespace AgentSuite.Storage.Sqlite;

/// <summary>The tables, created if missing. Every statement is idempotent so that opening an existing file is safe.</summary>
internal static class SqliteSchema
{
    public const string Sql = """
        CREATE TABLE IF NOT EXISTS audit_log (
            seq             INTEGER PRIMARY KEY,
            at              TEXT NOT NULL,
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
        -- Conversation lookups are served by a table the audit writer fills in batches (see SqliteAuditStore),
        -- so an append writes one page instead of two.
        DROP INDEX IF EXISTS ix_audit_log_conversation;
        CREATE TABLE IF NOT EXISTS audit_conversation (
            conversation_id TEXT NOT NULL,
            seq             INTEGER NOT NULL,
            PRIMARY KEY (conversation_id, seq)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS audit_index_state (
            id              INTEGER PRIMARY KEY CHECK (id = 1),
            indexed_through INTEGER NOT NULL
        );
        INSERT OR IGNORE INTO audit_index_state (id, indexed_through) VALUES (1, 0);

        CREATE TABLE IF NOT EXISTS approvals (
            id              TEXT PRIMARY KEY,
            conversation_id TEXT NOT NULL,
            run_id          TEXT NOT NULL,
            tool_call_id    TEXT NOT NULL,
            agent           TEXT NOT NULL,
            tool            TEXT NOT NULL,
            arguments       TEXT NOT NULL,
            arguments_hash  TEXT NOT NULL,
            requested_by    TEXT NOT NULL,
            requested_at    TEXT NOT NULL,
            expires_at      TEXT NOT NULL,
            reason          TEXT NOT NULL,
            status          TEXT NOT NULL,
            decided_by      TEXT,
            decided_at      TEXT,
            comment         TEXT,
            request         TEXT,
            agent_path      TEXT,
            idempotency_key TEXT
        );
        CREATE INDEX IF NOT EXISTS ix_approvals_call ON approvals (run_id, tool_call_id);
        CREATE INDEX IF NOT EXISTS ix_approvals_status ON approvals (status, requested_at);
        CREATE INDEX IF NOT EXISTS ix_approvals_conversation ON approvals (conversation_id);

        CREATE TABLE IF NOT EXISTS idempotency (
            key             TEXT PRIMARY KEY,
            tool            TEXT NOT NULL,
            arguments_hash  TEXT NOT NULL,
            state           TEXT NOT NULL,
            claimed_at      TEXT NOT NULL,
            result_json     TEXT,
            note            TEXT,
            completed_at    TEXT
        );

        CREATE TABLE IF NOT EXISTS tool_pins (
            tool            TEXT PRIMARY KEY,
            pinned_hash     TEXT,
            observed_hash   TEXT NOT NULL,
            approved_by     TEXT,
            approved_at     TEXT,
            observed_at     TEXT NOT NULL,
            pinned_definition   TEXT,
            observed_definition TEXT
        );

        CREATE TABLE IF NOT EXISTS conversations (
            id              TEXT PRIMARY KEY,
            created_by      TEXT NOT NULL,
            created_at      TEXT NOT NULL,
            created_by_subject TEXT
        );
        CREATE TABLE IF NOT EXISTS conversation_messages (
            seq             INTEGER PRIMARY KEY AUTOINCREMENT,
            conversation_id TEXT NOT NULL REFERENCES conversations(id),
            role            TEXT NOT NULL,
            agent           TEXT,
            text            TEXT NOT NULL,
            at              TEXT NOT NULL
        );
        -- The conversations list, newest first: everyone's, and one user's.
        CREATE INDEX IF NOT EXISTS ix_conversations_created ON conversations (created_at, id);
        CREATE INDEX IF NOT EXISTS ix_conversations_owner ON conversations (created_by COLLATE NOCASE, created_at, id);
        CREATE INDEX IF NOT EXISTS ix_conversation_messages ON conversation_messages (conversation_id, seq);

        CREATE TABLE IF NOT EXISTS turns (
            run_id          TEXT PRIMARY KEY,
            conversation_id TEXT NOT NULL REFERENCES conversations(id),
            principal       TEXT NOT NULL,
            status          TEXT NOT NULL,
            started_at      TEXT NOT NULL,
            updated_at      TEXT NOT NULL,
            ended_at        TEXT,
            reason          TEXT,
            approval_id     TEXT,
            state           TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS ix_turns_conversation ON turns (conversation_id, started_at);
        -- The operations figures count turns by when they ended.
        CREATE INDEX IF NOT EXISTS ix_turns_ended ON turns (ended_at);
        -- One active turn per conversation, whoever starts it.
        CREATE UNIQUE INDEX IF NOT EXISTS ux_turns_active ON turns (conversation_id) WHERE status IN ('running', 'waiting');

        -- Calls to agents served over MCP, by the caller's idempotency key: the turn each started.
        CREATE TABLE IF NOT EXISTS agent_calls (
            caller          TEXT NOT NULL,
            key             TEXT NOT NULL,
            agent           TEXT NOT NULL,
            request_hash    TEXT NOT NULL,
            conversation_id TEXT NOT NULL,
            run_id          TEXT,
            at              TEXT NOT NULL,
            PRIMARY KEY (caller, key)
        ) WITHOUT ROWID;

        -- Model tokens each principal spent per UTC day (daily token budgets), under its stable key (a token's subject,
        -- else its name); display (added below) is the name it last spent under, for the status view.
        CREATE TABLE IF NOT EXISTS token_usage (
            principal       TEXT NOT NULL,
            day             TEXT NOT NULL,
            input_tokens    INTEGER NOT NULL,
            output_tokens   INTEGER NOT NULL,
            PRIMARY KEY (day, principal)
        ) WITHOUT ROWID;

        CREATE TABLE IF NOT EXISTS kill_switches (
            scope           TEXT PRIMARY KEY,
            engaged         INTEGER NOT NULL,
            changed_by      TEXT NOT NULL,
            changed_at      TEXT NOT NULL,
            reason          TEXT
        );
        """;

    /// <summary>Columns added after a table first shipped: added to an existing file when it is opened.</summary>
    public static readonly (string Table, string Column, string Definition)[] AddedColumns =
    [
        ("kill_switches", "reason", "TEXT"),
        ("tool_pins", "pinned_definition", "TEXT"),
        ("tool_pins", "observed_definition", "TEXT"),
        ("approvals", "request", "TEXT"),
        ("approvals", "agent_path", "TEXT"),
        ("approvals", "idempotency_key", "TEXT"),
        ("idempotency", "completed_at", "TEXT"),
        ("conversations", "created_by_subject", "TEXT"),
        ("token_usage", "display", "TEXT"),
    ];

    /// <summary>Indexes on <see cref="AddedColumns"/>, created once those columns exist.</summary>
    public const string AddedIndexes = """
        -- The conversations list of one token holder, found by subject.
        CREATE INDEX IF NOT EXISTS ix_conversations_subject ON conversations (created_by_subject, created_at, id);
        """;
}
