namespace AgentSuite.Storage.Sqlite;

/// <summary>What a write has survived when it returns.</summary>
public enum SqliteDurability
{
    /// <summary>WAL with synchronous=NORMAL: survives a crash of the process; the last commits may be lost on power loss or an OS crash.</summary>
    ProcessCrash,

    /// <summary>WAL with synchronous=FULL: every commit is fsynced; survives power loss, at the cost of one fsync per commit.</summary>
    PowerLoss,
}
