using System.Diagnostics;
using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentSuite.Agents.Remote;
using AgentSuite.Api.Auth;
using AgentSuite.Governance;
using AgentSuite.Governance.Audit;
using ModelContextProtocol;

namespace AgentSuite.Api.AgentServer;

/// <summary>
/// A service acting for a person: a call whose <c>_meta</c> names someone (<see cref="DelegationMeta.OnBehalfOf"/>) runs
/// as that person, with the service recorded beside them (<see cref="Principal.Via"/>), but only when the caller's key
/// holds the <c>delegate</c> role. The person holds the roles both the key and the coordinator's person hold, never
/// <c>delegate</c>, so separation of duties and ownership are judged on the person. Both outcomes are audited, the
/// allowed one with the coordinator's conversation, run and call and the trace, so each side's audit names the other.
/// </summary>
internal sealed class DelegatedCaller(IAuditStore audit, TimeProvider time)
{
    /// <summary>The claim holding the acting service's name on a delegated caller.</summary>
    public const string ViaClaim = "agentsuite:via";

    public const string AuditKind = "agent_call.delegated";

    private const int MaxNameLength = 200;

    public async Task<ClaimsPrincipal> ResolveAsync(string agent, ClaimsPrincipal user, JsonObject? meta, CancellationToken cancellationToken)
    {
        if (meta?[DelegationMeta.OnBehalfOf] is not { } onBehalfOf)
        {
            return user;
        }

        var service = user.ToPrincipal();
        var caller = meta[DelegationMeta.Caller] as JsonObject;
        if (!service.IsInRole(Roles.Delegate))
        {
            var refusal = $"'{service.Name}' may not act for someone else: its key lacks the '{Roles.Delegate}' role. Call without _meta[\"{DelegationMeta.OnBehalfOf}\"] to act as yourself.";
            await audit.AppendAsync(Entry(agent, service.Name, service.Name, "denied", refusal, caller), CancellationToken.None);
            throw new McpException(refusal);
        }

        var person = onBehalfOf as JsonObject ?? throw new McpException($"_meta[\"{DelegationMeta.OnBehalfOf}\"] must be an object with the person's 'name'.");
        var name = Text(person, "name") ?? throw new McpException($"_meta[\"{DelegationMeta.OnBehalfOf}\"] has no 'name': say whom you act for.");
        var subject = Text(person, "subject");
        var roles = service.Roles.Where(r => !string.Equals(r, Roles.Delegate, StringComparison.OrdinalIgnoreCase));
        if (person["roles"] is JsonArray theirs)
        {
            // Never more than the person holds where they signed in, and never more than the key holds here.
            var held = theirs.Select(r => r?.GetValueKind() == JsonValueKind.String ? r.GetValue<string>() : null).OfType<string>().ToHashSet(StringComparer.OrdinalIgnoreCase);
            roles = roles.Where(held.Contains);
        }

        var identity = new ClaimsIdentity("Delegated", ClaimTypes.Name, ClaimTypes.Role);
        identity.AddClaim(new Claim(ClaimTypes.Name, subject is null ? name : Principal.Recorded(name, subject)));
        identity.AddClaims(roles.Select(r => new Claim(ClaimTypes.Role, r)));
        identity.AddClaim(new Claim(ViaClaim, service.Name));
        if (subject is not null)
        {
            identity.AddClaim(new Claim(JwtCallerEvents.SubjectClaim, subject));
        }

        var delegated = new ClaimsPrincipal(identity);
        await audit.AppendAsync(Entry(agent, delegated.Identity!.Name!, service.Name, "allowed", $"'{service.Name}' acts for '{delegated.Identity.Name}'.", caller), cancellationToken);
        return delegated;
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
                ["callerInstance"] = Text(caller, "instance"),
                ["callerConversationId"] = Text(caller, "conversation_id"),
                ["callerRunId"] = Text(caller, "run_id"),
                ["callerToolCallId"] = Text(caller, "tool_call_id"),
                ["callerAgent"] = Text(caller, "agent"),
            }.Where(kv => kv.Value is not null).ToDictionary()),
        };

    private static string? Text(JsonObject? source, string property)
    {
        if (source?[property] is not { } node)
        {
            return null;
        }

        var text = node.GetValueKind() == JsonValueKind.String ? node.GetValue<string>().Trim() : null;
        return text is { Length: > 0 and <= MaxNameLength } && !text.Any(char.IsControl)
            ? text
            : throw new McpException($"_meta '{property}' must be a string of 1 to {MaxNameLength} printable characters.");
    }
}
