using System.Text.Json;
using AgentSuite.Governance.Audit;
using AgentSuite.Governance.Configuration;
using AgentSuite.Governance.KillSwitch;

namespace AgentSuite.Governance.Admission;

/// <summary>
/// What every turn passes before it starts, whichever door it came through (MCP or HTTP): a governance policy in
/// error refuses it (fail closed: its limits, budgets and kill switches cannot be read), and so does a <c>global</c>
/// or <c>principal:NAME</c> kill switch on the caller or on the service acting for it.
/// </summary>
public sealed class TurnAdmission(GovernancePolicyProvider policies, KillSwitchService killSwitch, IAuditStore audit, TimeProvider time)
{
    /// <summary>Why <paramref name="principal"/> may not start anything now, or null; <paramref name="policyError"/> says which kind.</summary>
    public async Task<(string? Reason, bool PolicyError)> RefusalForAsync(Principal principal, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(principal);
        if (policies.Current.Error is { } error)
        {
            return ($"The governance policy cannot be used, so nothing runs until an admin fixes the configuration: {error}", true);
        }

        return await killSwitch.FindEngagedForAsync(principal, cancellationToken) is { } scope
            ? ($"The kill switch '{scope}' is engaged; '{principal.Name}'{(principal.Via is { } via ? $" (via '{via}')" : "")} may not ask any agent until an admin releases it.", false)
            : (null, false);
    }

    /// <summary>Refuses (audited as <c>turn.refused</c>) a turn that may not start.</summary>
    public async Task ThrowIfRefusedAsync(Principal principal, string conversationId, string agent, CancellationToken cancellationToken = default)
    {
        var (reason, policyError) = await RefusalForAsync(principal, cancellationToken);
        if (reason is null)
        {
            return;
        }

        await audit.AppendAsync(new AuditEntry(GovernanceEventTypes.TurnRefused, time.GetUtcNow())
        {
            ConversationId = conversationId,
            Agent = agent,
            Principal = principal.Name,
            Decision = "refused",
            Reason = reason,
            Data = JsonSerializer.SerializeToElement(new Dictionary<string, string?> { ["cause"] = policyError ? "policy" : "kill_switch", ["via"] = principal.Via }),
        }, CancellationToken.None);
        throw new TurnRefusedException(reason, policyError);
    }
}
