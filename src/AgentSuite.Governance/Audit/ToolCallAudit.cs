using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentSuite.Governance.Audit;

/// <summary>Builds the audit entry for a tool call's decision or outcome from its context.</summary>
public static class ToolCallAudit
{
    public static AuditEntry Entry(ToolCallContext context, string kind, string decision, string? reason, DateTimeOffset at, bool withArguments, string? stage = null, Action<Utf8JsonWriter>? extra = null) =>
        new(kind, at)
        {
            ConversationId = context.ConversationId,
            RunId = context.RunId,
            Agent = context.Agent,
            Principal = context.Principal.Name,
            Tool = context.Tool.Key,
            ToolCallId = context.ToolCallId,
            Decision = decision,
            Reason = reason,
            Data = Data(context, withArguments && context.Policy.Options.Audit.RecordArguments, stage, extra),
        };

    private static JsonElement Data(ToolCallContext context, bool withArguments, string? stage, Action<Utf8JsonWriter>? extra)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            if (context.TryGetArgumentsHash(out var hash, out var error))
            {
                w.WriteString("argumentsHash", hash);
                if (withArguments)
                {
                    w.WritePropertyName("arguments");
                    RedactedArguments(context).WriteTo(w);
                }
            }
            else
            {
                w.WriteString("argumentsError", error);
            }

            if (context.Run.ParentToolCallId is { } parent)
            {
                w.WriteString("parentToolCallId", parent);
            }

            if (stage is not null)
            {
                w.WriteString("stage", stage);
            }

            foreach (var (name, value) in context.Notes)
            {
                w.WriteString(name, value);
            }

            extra?.Invoke(w);
            w.WriteEndObject();
        }

        var reader = new Utf8JsonReader(buffer.WrittenSpan);
        return JsonElement.ParseValue(ref reader);
    }

    private static JsonElement RedactedArguments(ToolCallContext context)
    {
        if (context.Policy.Redactor is not { } redactor)
        {
            return context.ArgumentsJson;
        }

        var count = 0;
        var node = redactor.Redact(JsonSerializer.SerializeToNode(context.ArgumentsJson), ref count);
        return count == 0 ? context.ArgumentsJson : JsonSerializer.SerializeToElement(node);
    }
}
