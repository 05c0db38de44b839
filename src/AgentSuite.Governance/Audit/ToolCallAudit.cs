using System.Text.Json;

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
        var scratch = JsonScratch.Get(JsonScratch.Slot.AuditData);
        var w = scratch.Writer;
        w.WriteStartObject();
        if (context.TryGetArgumentsHash(out var hash, out var error))
        {
            w.WriteString("argumentsHash", hash);
            if (withArguments)
            {
                w.WritePropertyName("arguments");
                if (context.Policy.Redactor is { } redactor)
                {
                    var redactions = 0;
                    redactor.WriteRedacted(w, context.ArgumentsJson, ref redactions);
                }
                else
                {
                    context.ArgumentsJson.WriteTo(w);
                }
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

        // A call made for a person by a service (a coordinator in another process): the service, and the trace that joins the two audits.
        if (context.Principal.Via is { } via)
        {
            w.WriteString("via", via);
            if (System.Diagnostics.Activity.Current is { } activity)
            {
                w.WriteString("traceId", activity.TraceId.ToHexString());
            }
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
        return scratch.ToElement();
    }
}
