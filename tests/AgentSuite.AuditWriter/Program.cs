using AgentSuite.Governance;
using AgentSuite.Governance.Audit;
using AgentSuite.Storage.Sqlite;

// Appends <count> audit entries tagged <writer> to the SQLite file <path>, one at a time, as a governed call's store does.
// Used by the storage tests to put other real processes on one database file; it starts appending on a line from stdin,
// so every writer starts together.
if (args.Length != 3 || !int.TryParse(args[2], out var count))
{
    Console.Error.WriteLine("usage: AgentSuite.AuditWriter <database path> <writer name> <count>");
    return 2;
}

var (path, writer) = (args[0], args[1]);
using var db = new SqliteGovernanceDatabase(new SqliteStorageOptions { ConnectionString = $"Data Source={path}" });
using var audit = new SqliteAuditStore(db);
Console.Out.WriteLine("ready");
Console.Out.Flush();
if (Console.In.ReadLine() is null)
{
    return 3;
}

for (var i = 0; i < count; i++)
{
    await audit.AppendAsync(new AuditEntry(GovernanceEventTypes.ToolDecision, DateTimeOffset.UtcNow)
    {
        Agent = writer,
        Tool = "test/append",
        ToolCallId = $"{writer}-{i}",
        Decision = "allowed",
    });
}

Console.Out.WriteLine("done");
return 0;
