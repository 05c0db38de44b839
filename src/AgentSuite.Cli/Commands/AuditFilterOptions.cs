using System.CommandLine;

namespace AgentSuite.Cli.Commands;

/// <summary>The filters of <c>GET /api/audit</c> as options, shared by <c>audit search</c> and <c>audit export</c>; the Api checks their values.</summary>
internal sealed class AuditFilterOptions
{
    private readonly (Option<string?> Option, string Parameter)[] _filters =
    [
        (new Option<string?>("--conversation") { Description = "One conversation (conv_...)" }, "conversationId"),
        (new Option<string?>("--agent") { Description = "Entries of this agent (billing, crm, coordinator, ...)" }, "agent"),
        (new Option<string?>("--tool") { Description = "Tools matching this pattern, as in the Governance section: billing/issue_refund, billing/*" }, "tool"),
        (new Option<string?>("--decision") { Description = "allowed, denied, approved, timed_out, completed, failed, ..." }, "decision"),
        (new Option<string?>("--kind") { Description = "tool.decision, tool.completed, approval.requested, governance.kill_switch, ..." }, "kind"),
        (new Option<string?>("--principal") { Description = "The person the agent acted for, or who changed governance" }, "principal"),
        (new Option<string?>("--from") { Description = "At or after this time, ISO 8601 with an offset (2026-12-06T08:00:00Z)" }, "from"),
        (new Option<string?>("--to") { Description = "Before this time, ISO 8601 with an offset" }, "to"),
    ];

    public void AddTo(Command command)
    {
        foreach (var (option, _) in _filters)
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The filters given, as query parameters.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Values(ParseResult parse) =>
        [.. _filters.Select(f => (f.Parameter, Value: parse.GetValue(f.Option)))
            .Where(f => !string.IsNullOrEmpty(f.Value))
            .Select(f => KeyValuePair.Create(f.Parameter, f.Value!))];
}
