using AgentSuite.Governance.Conversations;
using AgentSuite.Governance.Tests.Support;
using AgentSuite.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace AgentSuite.Governance.Tests.Storage;

/// <summary>Who a conversation belongs to in a SQLite file made before subjects were kept (the rule itself is in the storage contract suite).</summary>
public sealed class SqliteConversationOwnerTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 9, 30, 15, 123, TimeSpan.Zero);

    private readonly TempStorageFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task AFileMadeBeforeSubjectsWereKeptGainsTheColumnAndItsConversationsStayTheirNames()
    {
        var path = Path.Combine(_temp.Path, "old-conversations.db");
        Directory.CreateDirectory(_temp.Path);
        using (var old = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            old.Open();
            using var create = old.CreateCommand();
            create.CommandText = """
                CREATE TABLE conversations (id TEXT PRIMARY KEY, created_by TEXT NOT NULL, created_at TEXT NOT NULL);
                INSERT INTO conversations VALUES ('c-old', 'Alice (sub-a)', '2025-03-01T09:30:15.1230000+00:00');
                """;
            create.ExecuteNonQuery();
        }

        using var db = Open("old-conversations.db");
        var store = new SqliteConversationStore(db);
        await store.CreateAsync("c-new", "Alice (sub-a)", "sub-a", T0.AddMinutes(1));
        var alice = new Principal("Alice (sub-a)", Roles.User) { Subject = "sub-a" };

        Assert.Null((await store.GetAsync("c-old"))!.CreatedBySubject);
        Assert.Equal("sub-a", (await store.GetAsync("c-new"))!.CreatedBySubject);
        Assert.Equal(["c-new", "c-old"], await OwnedAsync(store, alice));
    }

    private SqliteGovernanceDatabase Open(string file) =>
        new(new SqliteStorageOptions { ConnectionString = _temp.ConnectionString(file) });

    private static async Task<List<string>> OwnedAsync(SqliteConversationStore store, Principal owner) =>
        [.. (await store.ListAsync(new ConversationQuery(10) { Owner = owner })).Select(c => c.Id)];
}
