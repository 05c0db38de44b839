using System.Text.Json.Nodes;
using AgentSuite.Governance;

namespace AgentSuite.Agents.Remote;

/// <summary>
/// The <c>_meta</c> a coordinator sends with a remote hand-off: whom it acts for (<see cref="OnBehalfOf"/>) and where on
/// its side the request comes from (<see cref="Caller"/>). An agent server honours the first only from a key holding the
/// <c>delegate</c> role; the second it records, so each side's audit names the other.
/// </summary>
public static class DelegationMeta
{
    /// <summary>
    /// <c>{"name", "subject"?, "roles"[]}</c>: the person the coordinator's turn runs for; for a token's holder the display
    /// name and the subject apart, so the agent server records them as <see cref="Principal.Recorded"/> does here.
    /// </summary>
    public const string OnBehalfOf = "agentsuite/on_behalf_of";

    /// <summary><c>{"instance", "conversation_id", "run_id", "tool_call_id", "agent"}</c>: the coordinator's hand-off call.</summary>
    public const string Caller = "agentsuite/caller";

    public static JsonObject For(AgentRunContext run, string toolCallId, string instance)
    {
        var person = new JsonObject
        {
            ["name"] = DisplayName(run.Principal),
            ["roles"] = new JsonArray([.. run.Principal.Roles.Order(StringComparer.Ordinal).Select(r => (JsonNode)r)]),
        };
        if (run.Principal.Subject is { } subject)
        {
            person["subject"] = subject;
        }

        return new JsonObject
        {
            [OnBehalfOf] = person,
            [Caller] = new JsonObject
            {
                ["instance"] = instance,
                ["conversation_id"] = run.ConversationId,
                ["run_id"] = run.RunId,
                ["tool_call_id"] = toolCallId,
                ["agent"] = run.Agent,
            },
        };
    }

    /// <summary>The name without the <c> (subject)</c> a token's holder is recorded with.</summary>
    internal static string DisplayName(Principal person) =>
        person.Subject is { Length: > 0 } subject && person.Name.EndsWith($" ({subject})", StringComparison.Ordinal)
            ? person.Name[..^(subject.Length + 3)]
            : person.Name;
}
