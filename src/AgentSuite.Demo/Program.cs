// A walk-through of the governed pipeline on the embedded defaults: SQLite under bin/.../data, in-process tools.
// Each step is a tool call an agent would make; the console shows governance deciding, then the audit trail.
using AgentSuite.Demo;
using AgentSuite.Governance;
using AgentSuite.Governance.Audit;
using AgentSuite.Governance.KillSwitch;
using AgentSuite.Storage.Sqlite;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
var connectionString = builder.Configuration.GetConnectionString("Governance") is { Length: > 0 } configured
    ? configured
    : $"Data Source={Path.Combine(AppContext.BaseDirectory, "data", "agentsuite.db")}";
builder.Services.AddGovernance(builder.Configuration.GetSection("Governance"));
builder.Services.AddSqliteGovernanceStores(new SqliteStorageOptions
{
    ConnectionString = connectionString,
    Durability = builder.Configuration.GetValue("Storage:Durability", SqliteDurability.ProcessCrash),
});
using var host = builder.Build();
var services = host.Services;

var factory = services.GetRequiredService<GovernedToolFactory>();
var approvals = services.GetRequiredService<AgentSuite.Governance.Approvals.ApprovalService>();
var killSwitch = services.GetRequiredService<KillSwitchService>();
var audit = services.GetRequiredService<IAuditStore>();

var billing = new DemoBilling();
var getInvoice = factory.Create(billing.GetInvoice(), "billing", ToolAnnotations.ReadOnly);
var refund = factory.Create(billing.IssueRefund(), "billing", new ToolAnnotations(DestructiveHint: true));
var escalate = factory.Create(billing.EscalateCase(), "crm");

var alice = new Principal("alice", Roles.User, Roles.Approver);
var bob = new Principal("bob", Roles.User, Roles.Approver);
var admin = new Principal("ops", Roles.Admin);
var conversation = "demo-" + DateTime.UtcNow.ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture);
var run = new AgentRunContext(conversation, "run-" + Guid.NewGuid().ToString("N")[..8], "billing", alice) { Events = new ConsoleEvents(OnEvent) };

Console.WriteLine($"AgentSuite governance demo. Audit and state: {connectionString}");
Console.WriteLine($"Conversation {conversation}; agent 'billing' acts for alice.\n");

await Step("1. Read an invoice (read-only; the card number in the result is redacted)", getInvoice, "c1", new() { ["invoice_id"] = "INV-1002" });
await Step("2. Refund 40 (allowed, runs at once)", refund, "c2", new() { ["invoice_id"] = "INV-1002", ["amount"] = 40 });
await Step("3. Escalate a case (billing's allow-list does not include crm/*)", escalate, "c3", new() { ["case_id"] = "CASE-9" });
await Step("4. Refund 900 (breaks the rule 'amount <= 500')", refund, "c4", new() { ["invoice_id"] = "INV-1002", ["amount"] = 900 });
await Step("5. Refund 150 (needs a second person: alice may not approve her own request, bob approves)", refund, "c5", new() { ["invoice_id"] = "INV-1002", ["amount"] = 150 });
await Step("6. The same refund call retried (same tool-call id): replayed, not paid twice", refund, "c5", new() { ["invoice_id"] = "INV-1002", ["amount"] = 150 });

await killSwitch.SetAsync("agent:billing", engaged: true, admin);
await Step("7. An admin engaged the kill switch 'agent:billing'; the next call stops", getInvoice, "c7", new() { ["invoice_id"] = "INV-1002" });
await killSwitch.SetAsync("agent:billing", engaged: false, admin);

Console.WriteLine($"\nRefunds actually paid by the billing system: {billing.Refunds.Count}");
foreach (var r in billing.Refunds)
{
    Console.WriteLine($"    {r}");
}

Console.WriteLine($"\nAudit trail of {conversation}:");
await foreach (var record in audit.ReadAsync(new AuditQuery(conversation)))
{
    var e = record.Entry;
    Console.WriteLine($"    #{record.Seq,-5} {e.Kind,-18} {e.Agent,-8} {e.Principal,-6} {e.Tool,-22} {e.Decision,-10} {e.Reason}");
}

var verification = await AuditVerifier.VerifyAsync(audit);
Console.WriteLine(verification.Ok
    ? $"\nAudit chain verified: {verification.Count} entries, head sha256:{verification.HeadHash}"
    : $"\nAUDIT CHAIN BROKEN at entry {verification.FirstBadSeq}: {verification.Problem}");
return verification.Ok ? 0 : 1;

async Task Step(string title, GovernedTool tool, string toolCallId, Dictionary<string, object?> arguments)
{
    Console.WriteLine(title);
    var outcome = await tool.InvokeGovernedAsync(new AIFunctionArguments(arguments).WithToolCall(run, toolCallId));
    var detail = outcome.Result is System.Text.Json.JsonElement json ? Shorten(json.GetProperty("content").GetRawText()) : $"({outcome.Stage}) {outcome.Reason}";
    Console.WriteLine($"    => {outcome.Status}: {detail}\n");
}

void OnEvent(GovernanceEvent e)
{
    if (e.Type != GovernanceEventTypes.ApprovalPending || e.ApprovalId is not { } id)
    {
        return;
    }

    // The approver acts from elsewhere (the web page's inbox in a later issue); here, another task.
    _ = Task.Run(async () =>
    {
        try
        {
            await approvals.DecideAsync(id, alice, approve: true, "looks fine to me");
        }
        catch (AgentSuite.Governance.Approvals.ApprovalException ex)
        {
            Console.WriteLine($"    alice tries to approve: refused ({ex.Kind}): {ex.Message}");
        }

        Console.WriteLine("    bob approves.");
        await approvals.DecideAsync(id, bob, approve: true, "duplicate charge confirmed");
    });
}

static string Shorten(string text) => text.Length <= 140 ? text : text[..140] + "...";
