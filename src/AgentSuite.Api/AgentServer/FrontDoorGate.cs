using System.Text.Json;
using AgentSuite.Governance;
using AgentSuite.Governance.Audit;
using AgentSuite.Governance.Budgets;
using AgentSuite.Governance.Admission;
using AgentSuite.Governance.Limits;

namespace AgentSuite.Api.AgentServer;

/// <summary>
/// The front door's own governance, before an <c>ask_NAME</c> call reaches its conversation: a governance policy in
/// error, a kill switch on the caller or the service acting for it (<c>principal:NAME</c>, or <c>global</c>), the caller's calls per minute, and its daily token budget. Every call is
/// audited on arrival (<c>agent_call.received</c>), admitted or refused, so the audit shows each attempt under the
/// caller's principal, those later answered from an idempotency key included. A refusal starts no turn and spends no tokens.
/// </summary>
internal sealed class FrontDoorGate(TurnAdmission admission, AskRateLimiter rates, TokenBudgetService budgets, IAuditStore audit, IHttpContextAccessor http, TimeProvider time)
{
    /// <summary>Why the call is refused (audited either way), or null when it may go on; <paramref name="refused"/> is a refusal decided before the gate (the allow-list).</summary>
    public async Task<string?> AdmitAsync(FrontDoorCall call, string? refused, CancellationToken cancellationToken)
    {
        var reason = refused;
        if (reason is null)
        {
            // A policy in error refuses every call: its limits, budgets and switches cannot be read (fail closed).
            reason = (await admission.RefusalForAsync(call.Caller, cancellationToken)).Reason;
        }

        reason ??= await rates.TryAcquireAsync(call.Caller, cancellationToken);
        if (reason is null)
        {
            try
            {
                await budgets.ThrowIfExceededAsync(call.Caller, "ask_" + call.Agent, new AgentRunContext(call.ConversationId ?? "", "", call.Agent, call.Caller), cancellationToken);
            }
            catch (TokenBudgetExceededException ex)
            {
                reason = ex.Message;
            }
        }

        // Written before anything runs: a call that cannot be audited does not run.
        await audit.AppendAsync(new AuditEntry(GovernanceEventTypes.AgentCallReceived, time.GetUtcNow())
        {
            ConversationId = call.ConversationId,
            Agent = call.Agent,
            Principal = call.Caller.Name,
            Decision = reason is null ? "admitted" : "refused",
            Reason = reason,
            Data = JsonSerializer.SerializeToElement(new Dictionary<string, string?>
            {
                ["tool"] = AskAgentTool.Prefix + call.Agent,
                ["idempotencyKey"] = call.IdempotencyKey,
                ["requestHash"] = call.RequestHash,
                ["transport"] = http.HttpContext is null ? "stdio" : "http",
            }),
        }, cancellationToken);
        return reason;
    }
}
