using AgentSuite.Governance.Cluster;

namespace AgentSuite.Storage.Postgres;

/// <summary>
/// The notifications instances send each other: one channel, with <c>kind:key</c> payloads. A store sends them with
/// <c>pg_notify</c> inside the transaction that makes the change, so they are delivered only once it commits.
/// </summary>
internal static class PostgresChanges
{
    public const string Channel = "governance_changes";

    /// <summary>SQL that notifies the channel with the payload bound to <paramref name="parameter"/> (e.g. <c>@notify</c>).</summary>
    public static string NotifySql(string parameter) => $"SELECT pg_notify('{Channel}', {parameter})";

    public static string Payload(StoreChangeKind kind, string key) => Prefix(kind) + key;

    public static bool TryParse(string payload, out StoreChange change)
    {
        foreach (var kind in Enum.GetValues<StoreChangeKind>())
        {
            var prefix = Prefix(kind);
            if (payload.StartsWith(prefix, StringComparison.Ordinal))
            {
                change = new StoreChange(kind, payload[prefix.Length..]);
                return true;
            }
        }

        change = default;
        return false;
    }

    private static string Prefix(StoreChangeKind kind) => kind switch
    {
        StoreChangeKind.ApprovalResolved => "approval:",
        StoreChangeKind.KillSwitchChanged => "kill_switch:",
        StoreChangeKind.ToolPinChanged => "tool_pin:",
        StoreChangeKind.Resync => "resync:",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
