using Microsoft.Data.Sqlite;
using ModelContextProtocol;

namespace Crm.McpServer;

/// <summary>Customers and cases in the CRM data file. Failures are <see cref="McpException"/>s a model can act on.</summary>
public sealed class CrmStore(PluginDatabase database)
{
    private const string CustomerColumns =
        "c.id, c.name, c.email, c.plan, (SELECT COUNT(*) FROM cases k WHERE k.customer_id = c.id AND k.status <> 'closed')";

    public CustomerSearch FindCustomers(string query)
    {
        var q = Required(query, "query", "a customer id (CUST-7), an email address or part of a name");
        using var db = database.Open();
        var matches = db.Query(
            $"SELECT {CustomerColumns} FROM customers c WHERE c.id = upper($q) OR c.email = $q COLLATE NOCASE OR instr(lower(c.name), lower($q)) > 0 " +
            "ORDER BY c.name LIMIT 10",
            r => new Customer(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetInt32(4)),
            ("$q", q));
        return new CustomerSearch(q, matches, matches.Count > 0 ? null
            : $"No customer matches '{q}'. Search by customer id (CUST-7), the full email address, or part of the name.");
    }

    public SupportCase GetCase(string caseId)
    {
        using var db = database.Open();
        return Read(db, Normalize(caseId)) ?? throw CaseNotFound(caseId);
    }

    public SupportCase CreateCase(string customerId, string subject, string description)
    {
        var customer = Normalize(customerId);
        var title = Required(subject, "subject", "a one-line summary, e.g. \"Cannot log in\"");
        var body = Required(description, "description", "what the customer reported and what was done so far");
        if (title.Length > 200)
        {
            throw new McpException($"subject is {title.Length} characters; keep it to 200 and put the detail in description.");
        }

        return database.Write(db =>
        {
            if (db.Query("SELECT 1 FROM customers WHERE id = $id", _ => true, ("$id", customer)).Count == 0)
            {
                throw new McpException($"Customer '{customerId}' does not exist. Find the customer id with find_customer(query) first.");
            }

            var id = CrmSchema.Case(db, customer, title, body, "open", DateTimeOffset.UtcNow);
            return Read(db, id)!;
        });
    }

    public SupportCase EscalateCase(string caseId, string reason)
    {
        var why = Required(reason, "reason", "why the case needs a senior person, e.g. \"refund above the agent's limit\"");
        return database.Write(db =>
        {
            var existing = Read(db, Normalize(caseId)) ?? throw CaseNotFound(caseId);
            switch (existing.Status)
            {
                case "closed":
                    throw new McpException($"Case {existing.CaseId} is closed and cannot be escalated. Open a new case with create_case(customer_id, subject, description).");
                case "escalated":
                    return existing;
            }

            db.Run("UPDATE cases SET status = 'escalated', priority = 'high' WHERE id = $id", ("$id", existing.CaseId));
            CrmSchema.Event(db, existing.CaseId, DateTimeOffset.UtcNow, "escalated", why);
            return Read(db, existing.CaseId)!;
        });
    }

    private static SupportCase? Read(SqliteConnection db, string caseId)
    {
        var found = db.Query(
            "SELECT k.id, k.customer_id, c.name, k.subject, k.description, k.status, k.priority, k.created_at " +
            "FROM cases k JOIN customers c ON c.id = k.customer_id WHERE k.id = $id",
            r => (Id: r.GetString(0), Customer: r.GetString(1), Name: r.GetString(2), Subject: r.GetString(3), Description: r.GetString(4),
                  Status: r.GetString(5), Priority: r.GetString(6), Created: r.GetString(7)),
            ("$id", caseId));
        if (found.Count == 0)
        {
            return null;
        }

        var k = found[0];
        var history = db.Query(
            "SELECT at, kind, detail FROM case_events WHERE case_id = $id ORDER BY seq",
            r => new CaseEvent(r.GetString(0), r.GetString(1), r.GetString(2)), ("$id", caseId));
        return new SupportCase(k.Id, k.Customer, k.Name, k.Subject, k.Description, k.Status, k.Priority, k.Created, history);
    }

    private static McpException CaseNotFound(string caseId) =>
        new($"Case '{caseId}' does not exist. Case ids look like CASE-502; open a new one with create_case(customer_id, subject, description).");

    private static string Normalize(string id) => id.Trim().ToUpperInvariant();

    private static string Required(string value, string name, string example) =>
        string.IsNullOrWhiteSpace(value) ? throw new McpException($"{name} is empty. Pass {example}.") : value.Trim();
}
