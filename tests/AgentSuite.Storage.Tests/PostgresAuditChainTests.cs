using System.Collections.Concurrent;
using System.Text.Json;
using AgentSuite.Governance.Audit;
using AgentSuite.Storage.Postgres;
using AgentSuite.Storage.Tests.Support;
using Npgsql;

namespace AgentSuite.Storage.Tests;

/// <summary>One audit chain appended to by two instances (two stores, each with its own data source and writer) on one PostgreSQL database.</summary>
public sealed class PostgresAuditChainTests
{
    private const int AppendersPerInstance = 16;
    private const int EntriesPerAppender = 60;

    [Fact]
    public async Task Sixteen_appenders_on_each_of_two_instances_leave_one_gapless_chain_that_verifies()
    {
        await using var first = await StoreBackend.PostgresAsync();
        await using var second = await first.SecondInstanceAsync();
        IAuditStore[] instances = [first.Get<IAuditStore>(), second.Get<IAuditStore>()];

        var returned = new ConcurrentBag<(int Instance, AuditRecord Record)>();
        await Task.WhenAll(instances.SelectMany((store, instance) => Enumerable.Range(0, AppendersPerInstance).Select(appender => Task.Run(async () =>
        {
            for (var i = 0; i < EntriesPerAppender; i++)
            {
                var record = await store.AppendAsync(new AuditEntry("tool.decision", DateTimeOffset.UtcNow)
                {
                    ConversationId = $"instance-{instance}-appender-{appender}",
                    Decision = "allowed",
                    Data = JsonSerializer.SerializeToElement(new { i }),
                });
                returned.Add((instance, record));
            }
        }))));

        var total = 2 * AppendersPerInstance * EntriesPerAppender;
        var verification = await AuditVerifier.VerifyAsync(instances[1]);
        var stored = new Dictionary<long, AuditRecord>();
        await foreach (var record in instances[0].ReadAsync(new AuditQuery()))
        {
            stored.Add(record.Seq, record);
        }

        Assert.True(verification.Ok, verification.Problem);
        Assert.Equal(total, verification.Count);
        Assert.Equal(Enumerable.Range(1, total).Select(i => (long)i), stored.Keys.Order());
        Assert.Equal(total, returned.Count);
        Assert.All(returned, r => Assert.Equal(stored[r.Record.Seq].Hash, r.Record.Hash));
        Assert.All(returned, r => Assert.Equal(r.Record.Entry.ConversationId, stored[r.Record.Seq].Entry.ConversationId));

        // Both instances' entries interleave in the one chain.
        Assert.Equal([0, 1], returned.Select(r => r.Instance).Distinct().Order());

        await RawSql.ExecuteAsync(first, "UPDATE audit_log SET decision = 'denied' WHERE seq = 777");
        var tampered = await AuditVerifier.VerifyAsync(instances[0]);
        Assert.Equal((false, 777L), (tampered.Ok, tampered.FirstBadSeq));
    }

    [Fact]
    public async Task A_store_disposed_with_appends_queued_commits_them_before_it_closes()
    {
        await using var backend = await StoreBackend.PostgresAsync();
        var store = new PostgresAuditStore(backend.Get<PostgresGovernanceDatabase>());
        var appends = Enumerable.Range(0, 50).Select(i => store.AppendAsync(new AuditEntry("test.entry", DateTimeOffset.UtcNow)).AsTask()).ToList();
        await store.DisposeAsync();

        Assert.Equal(50, (await Task.WhenAll(appends)).Select(r => r.Seq).Distinct().Count());
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await store.AppendAsync(new AuditEntry("test.entry", DateTimeOffset.UtcNow)));
        Assert.Equal(50, (await AuditVerifier.VerifyAsync(backend.Get<IAuditStore>())).Count);
    }

    [Fact]
    public async Task A_batch_that_fails_is_refused_and_releases_the_head_for_the_other_instance()
    {
        await using var first = await StoreBackend.PostgresAsync();
        await using var second = await first.SecondInstanceAsync();
        var a = first.Get<IAuditStore>();
        var b = second.Get<IAuditStore>();
        await a.AppendAsync(new AuditEntry("test.entry", DateTimeOffset.UtcNow));

        // A row where the chain's next entry must go: the next insert collides, inside the head row's lock.
        await RawSql.ExecuteAsync(first, "INSERT INTO audit_log (seq, at, at_tick, kind, prev_hash, hash) SELECT 2, now(), 0, 'rogue', hash, hash FROM audit_head");
        await Assert.ThrowsAsync<Npgsql.PostgresException>(async () => await a.AppendAsync(new AuditEntry("test.entry", DateTimeOffset.UtcNow)));
        await Assert.ThrowsAsync<Npgsql.PostgresException>(async () => await b.AppendAsync(new AuditEntry("test.entry", DateTimeOffset.UtcNow)).AsTask().WaitAsync(TimeSpan.FromSeconds(30)));
        await RawSql.ExecuteAsync(first, "DELETE FROM audit_log WHERE kind = 'rogue'");

        var fromB = await b.AppendAsync(new AuditEntry("test.entry", DateTimeOffset.UtcNow)).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        var fromA = await a.AppendAsync(new AuditEntry("test.entry", DateTimeOffset.UtcNow));

        Assert.Equal((2L, 3L), (fromB.Seq, fromA.Seq));
        Assert.True((await AuditVerifier.VerifyAsync(a)).Ok);
    }

    [Fact]
    public async Task An_instance_frozen_while_holding_the_head_is_ended_by_the_server_and_the_others_append()
    {
        await using var backend = await StoreBackend.PostgresAsync();
        var store = backend.Get<IAuditStore>();
        await store.AppendAsync(new AuditEntry("test.entry", DateTimeOffset.UtcNow));

        // Another instance's writer session (its own settings) takes the head, then freezes: it sends nothing more.
        var db = backend.Get<PostgresGovernanceDatabase>();
        await using var frozen = new NpgsqlConnection(PostgresAuditStore.WriterConnectionString(db));
        await frozen.OpenAsync();
        await using (var settings = new NpgsqlCommand(PostgresAuditStore.WriterSettingsSql, frozen))
        {
            await settings.ExecuteNonQueryAsync();
        }

        await using (var hold = new NpgsqlCommand("BEGIN; SELECT seq FROM audit_head WHERE id = 1 FOR UPDATE", frozen))
        {
            await hold.ExecuteNonQueryAsync();
        }

        var appended = await store.AppendAsync(new AuditEntry("test.entry", DateTimeOffset.UtcNow)).AsTask().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2L, appended.Seq);
        await using var after = new NpgsqlCommand("SELECT 1", frozen);
        await Assert.ThrowsAnyAsync<Exception>(() => after.ExecuteScalarAsync());
        Assert.True((await AuditVerifier.VerifyAsync(store)).Ok);
    }

    [Fact]
    public async Task A_writer_kept_from_the_head_too_long_fails_that_batch_clearly_and_the_next_batch_appends()
    {
        await using var backend = await StoreBackend.PostgresAsync();
        var store = backend.Get<IAuditStore>();
        await store.AppendAsync(new AuditEntry("test.entry", DateTimeOffset.UtcNow));

        // A session with no time limits of its own (someone at psql) holds the head.
        await using var holder = new NpgsqlConnection(backend.ConnectionString);
        await holder.OpenAsync();
        await using var transaction = await holder.BeginTransactionAsync();
        await using (var hold = new NpgsqlCommand("SELECT seq FROM audit_head WHERE id = 1 FOR UPDATE", holder, transaction))
        {
            await hold.ExecuteNonQueryAsync();
        }

        var refused = await Assert.ThrowsAsync<NpgsqlException>(async () => await store.AppendAsync(new AuditEntry("test.entry", DateTimeOffset.UtcNow)).AsTask().WaitAsync(TimeSpan.FromSeconds(60)));
        await transaction.RollbackAsync();
        var appended = await store.AppendAsync(new AuditEntry("test.entry", DateTimeOffset.UtcNow)).AsTask().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Contains("head row stayed locked", refused.Message, StringComparison.Ordinal);
        Assert.Equal(2L, appended.Seq);
        Assert.True((await AuditVerifier.VerifyAsync(store)).Ok);
    }

    [Fact]
    public async Task A_read_over_many_pages_returns_what_one_statement_would_and_the_chain_verifies()
    {
        await using var backend = await StoreBackend.PostgresAsync();
        var store = backend.Get<IAuditStore>();
        for (var i = 0; i < 23; i++)
        {
            await store.AppendAsync(new AuditEntry(i % 3 == 0 ? "tool.decision" : "turn.started", DateTimeOffset.UtcNow) { ConversationId = $"conv-{i % 2}" });
        }

        await using var paged = new PostgresAuditStore(backend.Get<PostgresGovernanceDatabase>()) { PageSize = 4 };
        var whole = await ReadAllAsync(store, new AuditQuery());
        var verification = await AuditVerifier.VerifyAsync(paged);

        Assert.Equal(Enumerable.Range(1, 23).Select(i => (long)i), whole.Select(r => r.Seq));
        Assert.Equal(whole.Select(r => r.Hash), (await ReadAllAsync(paged, new AuditQuery())).Select(r => r.Hash));
        Assert.True(verification.Ok, verification.Problem);
        Assert.Equal(23, verification.Count);

        // Filters, a starting point and a limit that ends mid-page and on a page's edge read the same as one statement.
        AuditQuery[] queries =
        [
            new AuditQuery("conv-1"),
            new AuditQuery(AfterSeq: 5, Limit: 9),
            new AuditQuery(AfterSeq: 2, Limit: 8) { Kind = "turn.started" },
            new AuditQuery(Limit: 4),
            new AuditQuery(AfterSeq: 23),
        ];
        foreach (var query in queries)
        {
            var one = await ReadAllAsync(store, query);
            Assert.Equal(one.Select(r => r.Seq), (await ReadAllAsync(paged, query)).Select(r => r.Seq));
        }
    }

    private static async Task<List<AuditRecord>> ReadAllAsync(IAuditStore store, AuditQuery query)
    {
        var records = new List<AuditRecord>();
        await foreach (var record in store.ReadAsync(query))
        {
            records.Add(record);
        }

        return records;
    }

    [Fact]
    public async Task An_entry_that_cannot_be_canonicalised_fails_alone_and_the_entries_queued_beside_it_are_appended()
    {
        await using var backend = await StoreBackend.PostgresAsync();
        var store = backend.Get<IAuditStore>();

        var appends = Enumerable.Range(0, 20).Select(i => store.AppendAsync(new AuditEntry("test.entry", DateTimeOffset.UtcNow)
        {
            Data = i == 10 ? JsonDocument.Parse("""{"amount":1,"amount":2}""").RootElement : JsonSerializer.SerializeToElement(new { i }),
        }).AsTask()).ToList();
        var settled = await Task.WhenAll(appends.Select(async a =>
        {
            try
            {
                return (await a).Seq;
            }
            catch (ArgumentException)
            {
                return -1L;
            }
        }));

        Assert.Equal(-1L, settled[10]);
        Assert.Equal(Enumerable.Range(1, 19).Select(i => (long)i), settled.Where(s => s > 0).Order());
        Assert.True((await AuditVerifier.VerifyAsync(store)).Ok);
    }
}
