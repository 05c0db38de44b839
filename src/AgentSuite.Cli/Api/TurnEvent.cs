using System.Text.Json;
using System.Text.Json.Serialization;

namespace AgentSuite.Cli.Api;

/// <summary>One event of a turn, as the Api streams it (SSE) or lists it in a turn's <c>events</c>.</summary>
public sealed record TurnEvent
{
    public long Seq { get; init; }

    public string Type { get; init; } = "";

    public string? Agent { get; init; }

    /// <summary><c>server/tool</c>.</summary>
    public string? Tool { get; init; }

    /// <summary>A specialist's call ids are prefixed with the hand-off's id and '/', e.g. <c>call_1/call_2</c>.</summary>
    public string? ToolCallId { get; init; }

    public string? Decision { get; init; }

    public string? Reason { get; init; }

    public string? ApprovalId { get; init; }

    public string? Text { get; init; }

    public DateTimeOffset? At { get; init; }

    /// <summary>The event as the Api sent it, fields the CLI does not know included: what <c>--json</c> prints.</summary>
    [JsonIgnore]
    public JsonElement? Json { get; init; }

    /// <summary>Reads one event's JSON; <paramref name="type"/> (the SSE event name) fills a missing <c>type</c>.</summary>
    public static TurnEvent FromJson(JsonElement json, string? type = null)
    {
        var parsed = json.Deserialize<TurnEvent>(ApiJson.Options) ?? new TurnEvent();
        return parsed with { Type = string.IsNullOrEmpty(parsed.Type) ? type ?? "" : parsed.Type, Json = json };
    }
}
