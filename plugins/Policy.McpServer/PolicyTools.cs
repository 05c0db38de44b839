using System.ComponentModel;
using ModelContextProtocol.Server;

namespace Policy.McpServer;

/// <summary>The refund-policy tools; all read-only. Argument names are snake_case because they are the wire contract a model writes.</summary>
[McpServerToolType]
public sealed class PolicyTools(PolicyStore store)
{
    [McpServerTool(Name = "get_refund_policy", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false)]
    [Description("Returns the refund policy: its text, the approval bands by amount (automatic, second person, finance) and the refund windows in days.")]
    public RefundPolicy GetRefundPolicy() => store.GetPolicy();

    [McpServerTool(Name = "check_refund", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false)]
    [Description("Applies the refund policy to one refund: which band applies (automatic, second_person or finance), whether the charge is still inside " +
        "the refund window for the reason, and what to do.")]
    public RefundCheck CheckRefund(
        [Description("The refund amount, greater than 0, e.g. 49.00.")] decimal amount,
        [Description("Whole days since the charge was taken (get_invoice reports days_since_charge), 0 or more.")] int days_since_charge,
        [Description("Why the refund is due, e.g. \"duplicate charge\"; duplicate charges have a longer window.")] string reason) =>
        store.Check(amount, days_since_charge, reason);
}
