using AgentSuite.Governance.Audit;
using AgentSuite.Governance.Tests.Support;
using AgentSuite.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace AgentSuite.Governance.Tests.Storage;

/// <summary>Several real processes appending to one database file's audit chain, as instances sharing one file do.</summary>
public sealed class SharedDatabaseFileTests : IDisposable
{
    private const int PerWriter = 300;

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "agentsuite-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public async Task ThreeProcessesAppendingToOneFileKeepEveryEntryInOneVerifiedChain()
    {
        var path = Path.Combine(_folder, "shared.db");
        using var db = new SqliteGovernanceDatabase(new SqliteStorageOptions { ConnectionString = $"Data Source={path}" });
        using var audit = new SqliteAuditStore(db);
        await audit.AppendAsync(Entry("setup", 0));

        using var first = AuditWriterProcess.Start(path, "child-a", PerWriter);
        using var second = AuditWriterProcess.Start(path, "child-b", PerWriter);
        await first.WaitReadyAsync();
        await second.WaitReadyAsync();

        // All three start together, so their commits interleave and each meets the others' locks and stale heads.
        first.Go();
        second.Go();
        for (var i = 0; i < PerWriter; i++)
        {
            await audit.AppendAsync(Entry("host", i));
        }

        await first.WaitForSuccessAsync();
        await second.WaitForSuccessAsync();

        var verification = await AuditVerifier.VerifyAsync(audit);
        Assert.True(verification.Ok, verification.Problem);
        Assert.Equal(1 + 3 * PerWriter, verification.Count);

        var entries = new List<AuditRecord>();
        await foreach (var record in audit.ReadAsync(new AuditQuery()))
        {
            entries.Add(record);
        }

        foreach (var writer in new[] { "host", "child-a", "child-b" })
        {
            // Every writer's entries are there, once each, in the order it appended them.
            var ids = entries.Where(e => e.Entry.Agent == writer).Select(e => e.Entry.ToolCallId).ToList();
            Assert.Equal(Enumerable.Range(0, PerWriter).Select(i => $"{writer}-{i}"), ids);
        }

        var writersSeen = entries.Skip(1).Select(e => e.Entry.Agent).Distinct().Count();
        Assert.Equal(3, writersSeen);
    }

    private static AuditEntry Entry(string writer, int i) => new(GovernanceEventTypes.ToolDecision, DateTimeOffset.UtcNow)
    {
        Agent = writer,
        Tool = "test/append",
        ToolCallId = $"{writer}-{i}",
        Decision = "allowed",
    };
}
