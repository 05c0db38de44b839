namespace AgentSuite.Governance.Cluster;

/// <summary>What another instance changed in a shared store: the kind, and the approval id, switch scope or tool key.</summary>
public readonly record struct StoreChange(StoreChangeKind Kind, string Key);

public enum StoreChangeKind
{
    /// <summary>An approval was decided, withdrawn or timed out; <see cref="StoreChange.Key"/> is its id.</summary>
    ApprovalResolved,

    /// <summary>A kill switch was engaged or released; the key is its scope.</summary>
    KillSwitchChanged,

    /// <summary>A tool pin was saved (observed, blocked or re-approved); the key is the tool's key.</summary>
    ToolPinChanged,

    /// <summary>
    /// Changes may have been missed (the notification connection was lost and is back): every service reloads what it
    /// caches and re-reads what it waits for. The key is empty.
    /// </summary>
    Resync,
}
