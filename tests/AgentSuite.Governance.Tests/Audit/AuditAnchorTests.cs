using AgentSuite.Governance.Audit;
using AgentSuite.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentSuite.Governance.Tests.Audit;

/// <summary>The anchor of the chain's head on a real SQLite file and a real anchor file, wired as the Api wires it.</summary>
public sealed class AuditAnchorTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "agentsuite-tests", Guid.NewGuid().ToString("N"));
    private readonly SqliteGovernanceDatabase _db;
    private readonly SqliteAuditStore _sqlite;
    private readonly AuditAnchorKey _key = new(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    public AuditAnchorTests()
    {
        _db = new SqliteGovernanceDatabase(new SqliteStorageOptions { ConnectionString = $"Data Source={Path.Combine(_folder, "audit.db")}" });
        _sqlite = new SqliteAuditStore(_db);
    }

    private string AnchorFile => Path.Combine(_folder, "audit-anchor.json");

    [Fact]
    public async Task AnchorFollowsTheHeadEveryNEntriesWhileRunning()
    {
        using var head = new AuditAnchorHead { EveryEntries = 10 };
        var store = new AnchoredAuditStore(_sqlite, head);
        using var service = Service(store, head);
        await service.StartAsync(CancellationToken.None);

        for (var i = 0; i < 25; i++)
        {
            await store.AppendAsync(new AuditEntry("test.entry", DateTimeOffset.UtcNow) { Reason = $"entry {i}" });
        }

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (service.Anchored is not { HeadSeq: >= 20 })
        {
            await Task.Delay(10, deadline.Token);
        }

        var kept = await new FileAuditAnchorSink(AnchorFile).ReadAsync();
        Assert.NotNull(kept);
        Assert.True(_key.Verifies(kept));
        Assert.InRange(kept.HeadSeq, 20, 25);
        await service.StopAsync(CancellationToken.None);
        Assert.Equal(25, (await new FileAuditAnchorSink(AnchorFile).ReadAsync())!.Count);
        Assert.False(File.Exists(AnchorFile + ".tmp"));
    }

    [Fact]
    public async Task CheckpointsThinOutWithAgeButStillReachBackToTheFirstAnchor()
    {
        for (var run = 0; run < 80; run++)
        {
            using var head = new AuditAnchorHead();
            var store = new AnchoredAuditStore(_sqlite, head);
            using var service = Service(store, head);
            await service.StartAsync(CancellationToken.None);
            await store.AppendAsync(new AuditEntry("test.entry", DateTimeOffset.UtcNow));
            await service.StopAsync(CancellationToken.None);
        }

        var anchor = (await new FileAuditAnchorSink(AnchorFile).ReadAsync())!;
        Assert.Equal(80, anchor.Count);
        Assert.InRange(anchor.Checkpoints.Count, 2, 64);
        Assert.Equal(1, anchor.Checkpoints[0].Seq);
        Assert.Equal(79, anchor.Checkpoints[^1].Seq);
        Assert.Equal(anchor.Checkpoints.OrderBy(c => c.Seq).Select(c => c.Seq), anchor.Checkpoints.Select(c => c.Seq));
    }

    [Fact]
    public async Task RewriteBetweenTwoCheckpointsIsPlacedAfterTheLastOneThatMatches()
    {
        var records = new List<AuditRecord>();
        for (var i = 0; i < 10; i++)
        {
            records.Add(await _sqlite.AppendAsync(new AuditEntry("test.entry", DateTimeOffset.UtcNow)));
        }

        var anchor = _key.Sign(new AuditAnchor
        {
            Count = 10,
            HeadSeq = 10,
            HeadHash = "f".PadLeft(64, 'f'),
            At = "2026-12-06T06:40:00.0000000+00:00",
            Checkpoints = [new AuditCheckpoint(3, records[2].Hash), new AuditCheckpoint(7, "e".PadLeft(64, 'e'))],
        });
        var seen = records.ToDictionary(r => r.Seq, r => r.Hash);

        var check = AuditAnchorVerifier.Compare(anchor, await AuditVerifier.VerifyAsync(_sqlite), seen);

        Assert.Equal((AuditAnchorStatus.Rewritten, 4L), (check.Status, check.FirstBadSeq));
        Assert.Contains("the chain was rebuilt from entry one of 4..7 on (entries up to 3 still match the anchor)", check.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void GeneratedKeyFileIsPrivateAndReusedOnTheNextStart()
    {
        var keyFile = Path.Combine(_folder, "audit-anchor.key");

        var first = AuditAnchorKey.Load(null, keyFile, NullLogger.Instance);
        var second = AuditAnchorKey.Load(null, keyFile, NullLogger.Instance);

        Assert.Equal(first.Id, second.Id);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        }
    }

    [Fact]
    public void ConfiguredKeyThatIsTooShortIsRefusedWithHowToMakeOne()
    {
        var error = Assert.Throws<InvalidOperationException>(() => AuditAnchorKey.Load(Convert.ToBase64String(new byte[16]), Path.Combine(_folder, "unused.key"), NullLogger.Instance));

        Assert.Contains("has 16 bytes; it needs at least 32 (create one with: openssl rand -base64 32)", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_folder, "unused.key")));
    }

    public void Dispose()
    {
        _sqlite.Dispose();
        _db.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private AuditAnchorService Service(IAuditStore store, AuditAnchorHead head) =>
        new(store, head, new FileAuditAnchorSink(AnchorFile), _key, TimeProvider.System, NullLogger<AuditAnchorService>.Instance);
}
