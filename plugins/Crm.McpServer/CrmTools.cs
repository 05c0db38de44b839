using System.ComponentModel;
using ModelContextProtocol.Server;

namespace Crm.McpServer;

/// <summary>The CRM tools. Argument names are snake_case because they are the wire contract a model writes.</summary>
[McpServerToolType]
public sealed class CrmTools(CrmStore store)
{
    [McpServerTool(Name = "find_customer", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false)]
    [Description("Finds customers by customer id (CUST-7), exact email address, or part of the name; returns up to 10 with their plan and open case count.")]
    public CustomerSearch FindCustomer(
        [Description("A customer id, an email address, or part of a name, e.g. \"Dana\".")] string query) =>
        store.FindCustomers(query);

    [McpServerTool(Name = "get_case", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false)]
    [Description("Reads one support case with its status, priority and history.")]
    public SupportCase GetCase(
        [Description("The case id, e.g. CASE-502.")] string case_id) =>
        store.GetCase(case_id);

    [McpServerTool(Name = "create_case", ReadOnly = false, Destructive = false, Idempotent = false, OpenWorld = false)]
    [Description("Opens a new support case for a customer and returns it with its new case id. Each call opens another case.")]
    public SupportCase CreateCase(
        [Description("The customer id, e.g. CUST-7 (find_customer finds it).")] string customer_id,
        [Description("A one-line summary, at most 200 characters, e.g. \"Cannot log in\".")] string subject,
        [Description("What the customer reported and what has been done so far.")] string description) =>
        store.CreateCase(customer_id, subject, description);

    // Not destructive: escalation raises status and priority and appends to the history; nothing is deleted or overwritten.
    [McpServerTool(Name = "escalate_case", ReadOnly = false, Destructive = false, Idempotent = true, OpenWorld = false)]
    [Description("Escalates an open case to a senior person (status escalated, priority high) and records the reason. Escalating an escalated case " +
        "changes nothing; a closed case cannot be escalated.")]
    public SupportCase EscalateCase(
        [Description("The case id, e.g. CASE-502.")] string case_id,
        [Description("Why the case needs a senior person, e.g. \"refund above the agent's limit\".")] string reason) =>
        store.EscalateCase(case_id, reason);
}
