namespace AgentSuite.Governance;

/// <summary>A tool's identity for policy: <c>server/tool</c>, e.g. <c>billing/issue_refund</c>.</summary>
public readonly record struct ToolIdentity
{
    public ToolIdentity(string server, string tool)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(server);
        ArgumentException.ThrowIfNullOrWhiteSpace(tool);
        if (server.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException($"A server name cannot contain '/': '{server}'.", nameof(server));
        }

        Server = server;
        Tool = tool;
        Key = server + "/" + tool;
    }

    public string Server { get; }

    public string Tool { get; }

    /// <summary>The <c>server/tool</c> form used by allow-lists, rules and the audit log.</summary>
    public string Key { get; }

    public override string ToString() => Key;
}
