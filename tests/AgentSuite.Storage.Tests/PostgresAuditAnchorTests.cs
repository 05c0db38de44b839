using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using AgentSuite.Governance.Audit;
using AgentSuite.Storage.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace AgentSuite.Storage.Tests;

/// <summary>
/// Two instances on one PostgreSQL database, each with its own data folder and so its own anchor file, sharing the
/// anchor key: each anchors what it appended, publishes a copy to the database, and checks the chain against both.
/// </summary>
public sealed class PostgresAuditAnchorTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "agentsuite-tests", Guid.NewGuid().ToString("N"));
    private readonly AuditAnchorKey _key = new(RandomNumberGenerator.GetBytes(32));
    private readonly List<IDisposable> _started = [];
    private StoreBackend? _first;
    private StoreBackend? _second;

    public async Task InitializeAsync()
    {
        _first = await StoreBackend.PostgresAsync();
        _second = await _first.SecondInstanceAsync();
    }

    public async Task DisposeAsync()
    {
        _started.ForEach(d => d.Dispose());
        await _second!.DisposeAsync();
        await _first!.DisposeAsync();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_head_anchored_by_one_instance_still_matches_after_the_other_extends_the_chain()
    {
        var a = await StartAsync(_first!, "a");
        await AppendAsync(a, 30);
        await a.Service.StopAsync(CancellationToken.None);
        var b = await StartAsync(_second!, "b");
        await AppendAsync(b, 70);
        await b.Service.StopAsync(CancellationToken.None);

        var report = await a.Service.VerifyAsync();

        Assert.True(report.Ok, report.Problem);
        Assert.Equal(100, report.Chain.Count);
        Assert.Equal((AuditAnchorStatus.Matches, 30L), (report.Anchor.Status, report.Anchor.Anchor!.Count));
        var peer = Assert.Single(report.Peers);
        Assert.Equal((b.Service.Source, AuditAnchorStatus.Matches, 100L), (peer.Source, peer.Check.Status, peer.Check.Anchor!.Count));
    }

    [Fact]
    public async Task A_tail_deleted_after_the_other_instance_anchored_it_is_found_by_this_one()
    {
        var a = await StartAsync(_first!, "a");
        await AppendAsync(a, 30);
        await a.Service.StopAsync(CancellationToken.None);
        var b = await StartAsync(_second!, "b");
        await AppendAsync(b, 70);
        await b.Service.StopAsync(CancellationToken.None);

        await RawSql.ExecuteAsync(_first!, "DELETE FROM audit_log WHERE seq > 60; UPDATE audit_head SET seq = 60, hash = (SELECT hash FROM audit_log WHERE seq = 60)");
        var report = await a.Service.VerifyAsync();

        // This instance's own anchor (30) still matches; the other's (100) vouches for the deleted tail.
        Assert.False(report.Ok);
        Assert.Equal(AuditAnchorStatus.Matches, report.Anchor.Status);
        Assert.Equal(AuditAnchorStatus.Truncated, Assert.Single(report.Peers).Check.Status);
        Assert.Equal(61, report.FirstBadSeq);
        Assert.Contains("entries 61..100 are missing", report.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_shared_chain_rewritten_consistently_is_found_by_either_instance()
    {
        var a = await StartAsync(_first!, "a");
        var b = await StartAsync(_second!, "b");
        await Task.WhenAll(AppendAsync(a, 60), AppendAsync(b, 60));
        await a.Service.StopAsync(CancellationToken.None);
        await b.Service.StopAsync(CancellationToken.None);

        await RewriteFromAsync(90);
        var fromA = await a.Service.VerifyAsync();
        var fromB = await b.Service.VerifyAsync();

        Assert.True(fromA.Chain.Ok, fromA.Chain.Problem);
        Assert.All(new[] { fromA, fromB }, report =>
        {
            Assert.False(report.Ok);
            Assert.Contains(AuditAnchorStatus.Rewritten, report.Peers.Select(p => p.Check.Status).Append(report.Anchor.Status));
            Assert.Contains("rebuilt", report.Problem, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task An_anchor_under_another_key_is_listed_but_left_to_its_own_instance()
    {
        var a = await StartAsync(_first!, "a");
        await AppendAsync(a, 5);
        await a.Service.StopAsync(CancellationToken.None);
        var elsewhere = new AuditAnchorKey(RandomNumberGenerator.GetBytes(32)).Sign(new AuditAnchor { Count = 500, HeadSeq = 500, HeadHash = new string('b', 64), At = AuditChain.FormatTime(DateTimeOffset.UtcNow) });
        await _first!.Get<IAuditAnchorPeers>().PublishAsync("elsewhere:/data/audit-anchor.json", elsewhere);

        var report = await a.Service.VerifyAsync();

        Assert.True(report.Ok, report.Problem);
        Assert.Equal(AuditAnchorStatus.OtherKey, Assert.Single(report.Peers).Check.Status);
    }

    [Fact]
    public async Task Registered_as_the_Api_registers_it_the_anchor_is_kept_in_the_data_folder_and_published_to_the_database()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddOptions<Governance.Configuration.GovernanceOptions>();
        services.AddPostgresGovernanceStores(new Postgres.PostgresStorageOptions { ConnectionString = _first!.ConnectionString });
        services.AddAuditAnchor(Path.Combine(_folder, "api"));
        await using var provider = services.BuildServiceProvider();
        var service = provider.GetRequiredService<AuditAnchorService>();
        await service.StartAsync(CancellationToken.None);
        await provider.GetRequiredService<IAuditStore>().AppendAsync(new AuditEntry("test.entry", DateTimeOffset.UtcNow));
        await service.StopAsync(CancellationToken.None);

        var published = Assert.Single(await _first.Get<IAuditAnchorPeers>().ReadAsync());
        Assert.Equal(service.Source, published.Source);
        Assert.EndsWith(Path.Combine(_folder, "api", "audit-anchor.json"), published.Source, StringComparison.Ordinal);
        Assert.Equal(1, published.Anchor!.Count);
        Assert.Equal(AuditAnchorJson.Serialize(published.Anchor), AuditAnchorJson.Serialize((await new FileAuditAnchorSink(Path.Combine(_folder, "api", "audit-anchor.json")).ReadAsync())!));
    }

    private async Task<Instance> StartAsync(StoreBackend backend, string name)
    {
        var head = new AuditAnchorHead { EveryEntries = 10 };
        var store = new AnchoredAuditStore(backend.Get<IAuditStore>(), head);
        var sink = new FileAuditAnchorSink(Path.Combine(_folder, name, "audit-anchor.json"));
        Directory.CreateDirectory(Path.GetDirectoryName(sink.Path)!);
        var service = new AuditAnchorService(store, head, sink, _key, TimeProvider.System, NullLogger<AuditAnchorService>.Instance, backend.Get<IAuditAnchorPeers>());
        _started.AddRange([service, head]);
        await service.StartAsync(CancellationToken.None);
        return new Instance(store, service);
    }

    private static async Task AppendAsync(Instance instance, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await instance.Store.AppendAsync(new AuditEntry("tool.decision", DateTimeOffset.UtcNow) { Decision = "allowed", Reason = $"entry {i}" });
        }
    }

    /// <summary>Edits entry <paramref name="from"/> and recomputes every hash after it, as someone with write access to the database and the hash format would.</summary>
    private async Task RewriteFromAsync(long from)
    {
        var records = new List<AuditRecord>();
        await foreach (var r in _first!.Get<IAuditStore>().ReadAsync(new AuditQuery(AfterSeq: from - 1)))
        {
            records.Add(r);
        }

        await using var connection = new NpgsqlConnection(_first.ConnectionString);
        await connection.OpenAsync();
        var prev = records[0].PrevHash;
        foreach (var record in records)
        {
            var entry = record.Seq == from ? record.Entry with { Decision = "denied" } : record.Entry;
            var hash = AuditChain.ComputeHash(record.Seq, entry, prev);
            await using var update = new NpgsqlCommand("UPDATE audit_log SET decision = @decision, prev_hash = @prev, hash = @hash WHERE seq = @seq; UPDATE audit_head SET hash = @hash WHERE seq = @seq", connection);
            update.Parameters.AddWithValue("decision", entry.Decision!);
            update.Parameters.AddWithValue("prev", prev);
            update.Parameters.AddWithValue("hash", hash);
            update.Parameters.AddWithValue("seq", record.Seq);
            await update.ExecuteNonQueryAsync();
            prev = hash;
        }
    }

    private sealed record Instance(IAuditStore Store, AuditAnchorService Service);
}
