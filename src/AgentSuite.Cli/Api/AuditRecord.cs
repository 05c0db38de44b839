using System.Text.Json;

namespace AgentSuite.Cli.Api;

/// <summary>One entry of the audit chain as <c>GET /api/audit</c> lists it.</summary>
public sealed record AuditRecord
{
    public long Seq { get; init; }

    public DateTimeOffset? At { get; init; }

    public string? Kind { get; init; }

    public string? ConversationId { get; init; }

    public string? RunId { get; init; }

    public string? Agent { get; init; }

    public string? Principal { get; init; }

    public string? Tool { get; init; }

    public string? ToolCallId { get; init; }

    public string? Decision { get; init; }

    public string? Reason { get; init; }

    public JsonElement? Data { get; init; }

    public string? PrevHash { get; init; }

    public string? Hash { get; init; }
}
