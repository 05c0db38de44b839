using System.Diagnostics;
using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentSuite.Agents.Remote;
using AgentSuite.Api.Auth;
using AgentSuite.Governance;
using AgentSuite.Governance.AgentCalls;
using AgentSuite.Governance.Audit;
using ModelContextProtocol;

namespace AgentSuite.Api.AgentServer;

/// <summary>
/// A service acting for a person: a call whose <c>_meta</c> names someone (<see cref="DelegationMeta.OnBehalfOf"/>) runs
/// as that person, with the service recorded beside them (<see cref="Principal.Via"/>), but only when the caller's key
/// holds the <c>delegate</c> role. The person holds the roles both the key and the coordinator's person hold, never
/// <c>delegate</c>, so separation of duties and ownership are judged on the person; a person sent without roles is
/// refused. Every refusal is audited; an allowed delegation once per idempotency key (its first call, not each re-ask),
/// with the coordinator's conversation, run and call and the trace, so each side's audit names the other.
/// </summary>
internal sealed class DelegatedCaller(IAuditStore audit, IAgentCallStore calls, TimeProvider time)
{
    /// <summary>The claim holding the acting service's name on a delegated caller.</summary>
    public const string ViaClaim = "agentsuite:via";

    public const string AuditKind = "agent_call.delegated";

    private const int MaxNameLength = 200;

    /// <summary>Names the audit and the approvals record for the system itself, which no one may be acted for as.</summary>
    private static readonly string[] ReservedNames = ["system", "trust-on-first-use"];

    public async Task<ClaimsPrincipal> ResolveAsync(string agent, ClaimsPrincipal user, JsonObject? meta, IDictionary<string, JsonElement>? arguments, CancellationToken cancellationToken)
    {
        if (meta?[DelegationMeta.OnBehalfOf] is not { } onBehalfOf)
        {
            return user;
        }

        var service = user.ToPrincipal();
        var caller = meta[DelegationMeta.Caller] as JsonObject;
        if (!service.IsInRole(Roles.Delegate))
        {
            throw await RefuseAsync(agent, service.Name, service.Name, caller, $"'{service.Name}' may not act for someone else: its key lacks the '{Roles.Delegate}' role. Call without _meta[\"{DelegationMeta.OnBehalfOf}\"] to act as yourself.");
        }

        if (Malformed(onBehalfOf) is { } problem)
        {
            throw await RefuseAsync(agent, service.Name, service.Name, caller, problem);
        }

        var person = (JsonObject)onBehalfOf;
        var name = Text(person, "name")!;
        var subject = Text(person, "subject");
        var held = ((JsonArray)person["roles"]!).Select(r => r!.GetValue<string>()).ToHashSet(StringComparer.OrdinalIgnoreCase);

        // Never more than the person holds where they signed in, never more than the key holds here, never delegate.
        var roles = service.Roles.Where(r => held.Contains(r) && !string.Equals(r, Roles.Delegate, StringComparison.OrdinalIgnoreCase)).ToList();
        var recorded = subject is null || name.EndsWith($" ({subject})", StringComparison.Ordinal) ? name : Principal.Recorded(name, subject);
        var identity = new ClaimsIdentity("Delegated", ClaimTypes.Name, ClaimTypes.Role);
        identity.AddClaim(new Claim(ClaimTypes.Name, recorded));
        identity.AddClaims(roles.Select(r => new Claim(ClaimTypes.Role, r)));
        identity.AddClaim(new Claim(ViaClaim, service.Name));
        if (subject is not null)
        {
            identity.AddClaim(new Claim(JwtCallerEvents.SubjectClaim, subject));
        }

        var delegated = new ClaimsPrincipal(identity);
        if (!await IsReAskAsync(delegated.ToPrincipal(), arguments, cancellationToken))
        {
            await audit.AppendAsync(Entry(agent, recorded, service.Name, "allowed", $"'{service.Name}' acts for '{recorded}'.", caller), cancellationToken);
        }

        return delegated;
    }

    /// <summary>Why <paramref name="onBehalfOf"/> names no one the call may run as, or null when it is well formed.</summary>
    private static string? Malformed(JsonNode onBehalfOf)
    {
        var field = $"_meta[\"{DelegationMeta.OnBehalfOf}\"]";
        if (onBehalfOf is not JsonObject person)
        {
            return $"{field} must be an object with the person's 'name' and 'roles'.";
        }

        foreach (var property in new[] { "name", "subject" })
        {
            if (person[property] is { } node && !IsPrintable(node))
            {
                return $"{field}.{property} must be a string of 1 to {MaxNameLength} printable characters.";
            }
        }

        if (Text(person, "name") is not { } name)
        {
            return $"{field} has no 'name': say whom you act for.";
        }

        if (ReservedNames.Any(r => string.Equals(r, name, StringComparison.OrdinalIgnoreCase)))
        {
            return $"{field}.name '{name}' is reserved for the system's own entries; no one may be acted for as it.";
        }

        return person["roles"] is JsonArray roles && roles.All(r => r?.GetValueKind() == JsonValueKind.String)
            ? null
            : $"{field} has no 'roles' (an array of role names): send the roles the person holds where they signed in; nothing is granted without them.";
    }

    /// <summary>Whether this call re-asks with an idempotency key the person already holds, whose delegation was audited when it was first sent.</summary>
    private async Task<bool> IsReAskAsync(Principal person, IDictionary<string, JsonElement>? arguments, CancellationToken cancellationToken) =>
        arguments?.TryGetValue("idempotency_key", out var key) == true && key.ValueKind == JsonValueKind.String && key.GetString() is { Length: > 0 } given
        && await calls.GetAsync(AgentCallHandler.Owner(person), given, cancellationToken) is not null;

    private async Task<McpException> RefuseAsync(string agent, string principal, string via, JsonObject? caller, string reason)
    {
        await audit.AppendAsync(Entry(agent, principal, via, "denied", reason, caller), CancellationToken.None);
        return new McpException(reason);
    }

    private AuditEntry Entry(string agent, string principal, string via, string decision, string reason, JsonObject? caller) =>
        new(AuditKind, time.GetUtcNow())
        {
            Agent = agent,
            Principal = principal,
            Tool = AskAgentTool.Prefix + agent,
            Decision = decision,
            Reason = reason,
            Data = JsonSerializer.SerializeToElement(new Dictionary<string, string?>
            {
                ["via"] = via,
                ["traceId"] = Activity.Current?.TraceId.ToHexString(),
                ["callerInstance"] = Recordable(caller, "instance"),
                ["callerConversationId"] = Recordable(caller, "conversation_id"),
                ["callerRunId"] = Recordable(caller, "run_id"),
                ["callerToolCallId"] = Recordable(caller, "tool_call_id"),
                ["callerAgent"] = Recordable(caller, "agent"),
            }.Where(kv => kv.Value is not null).ToDictionary()),
        };

    private static bool IsPrintable(JsonNode node) =>
        node.GetValueKind() == JsonValueKind.String && node.GetValue<string>().Trim() is { Length: > 0 and <= MaxNameLength } text && !text.Any(char.IsControl);

    private static string? Text(JsonObject source, string property) =>
        source[property] is { } node && IsPrintable(node) ? node.GetValue<string>().Trim() : null;

    /// <summary>A caller field as the audit can keep it whatever was sent: control characters replaced, cut to length, a non-string marked.</summary>
    private static string? Recordable(JsonObject? caller, string property)
    {
        if (caller?[property] is not { } node)
        {
            return null;
        }

        if (node.GetValueKind() != JsonValueKind.String)
        {
            return $"(not a string: {node.GetValueKind()})";
        }

        var text = new string([.. node.GetValue<string>().Select(c => char.IsControl(c) ? '?' : c)]);
        return text.Length <= MaxNameLength ? text : text[..MaxNameLength] + "…(cut)";
    }
}
