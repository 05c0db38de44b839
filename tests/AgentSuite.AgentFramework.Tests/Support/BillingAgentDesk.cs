using AgentSuite.Governance;
using AgentSuite.Governance.Audit;
using AgentSuite.Governance.Configuration;
using AgentSuite.Mcp.Tests;
using AgentSuite.Models;
using AgentSuite.Plugins.Tests.Support;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

// Agent Framework has an AgentRunContext of its own (its run's agent and session); governance's is the one meant here.
using AgentRunContext = AgentSuite.Governance.AgentRunContext;

namespace AgentSuite.AgentFramework.Tests.Support;

/// <summary>
/// The billing specialist as an Agent Framework <see cref="ChatClientAgent"/>: the repo's mock model with a small script,
/// the governed tools of the real Billing and Policy plugins over stdio, and governance on real SQLite (the MCP tests'
/// harness). Nothing here adapts governance to Agent Framework: the agent gets the catalog's <see cref="GovernedTool"/>s
/// as they are, and the run is made ambient with <see cref="AgentRunContext.Enter"/>.
/// </summary>
public sealed class BillingAgentDesk : IAsyncDisposable
{
    public const string Agent = "billing";
    public const string RefundKey = "refund-INV-1002-CH-2-duplicate";

    /// <summary>What the billing specialist does for a duplicate charge, in the mock model's script language (docs/mock-model.md).</summary>
    private const string Script = """
        agents:
          billing:
            - name: refund a duplicate charge
              when: charged twice on (?<invoice>INV-\d+)
              steps:
                - call: billing_get_invoice
                  arguments:
                    invoice_id: "{{match.invoice}}"
                - call: policy_check_refund
                  arguments:
                    amount: "{{results.billing_get_invoice.charges.1.amount}}"
                    days_since_charge: "{{results.billing_get_invoice.charges.1.days_since_charge}}"
                    reason: duplicate charge
                - call: billing_issue_refund
                  arguments:
                    invoice_id: "{{results.billing_get_invoice.invoice_id}}"
                    charge_id: "{{results.billing_get_invoice.charges.1.charge_id}}"
                    amount: "{{results.billing_get_invoice.charges.1.amount}}"
                    reason: duplicate charge
                    idempotency_key: "refund-{{results.billing_get_invoice.invoice_id}}-{{results.billing_get_invoice.charges.1.charge_id}}-duplicate"
                  on_denied: "I did not refund the duplicate charge on {{match.invoice}}: {{result.reason}}"
                  on_error: "I did not refund the duplicate charge on {{match.invoice}}: {{error}}"
                - reply: "Refunded {{result.amount}} {{result.currency}} for the duplicate charge {{result.charge_id}} on {{result.invoice_id}}; the refund id is {{result.refund_id}}."
        """;

    private readonly TempDataFile _billing = new();
    private readonly TempDataFile _policy = new();
    private readonly McpHarness _harness;

    private BillingAgentDesk(Action<GovernanceOptions>? governance)
    {
        var servers = Stdio("billing", BuiltPlugins.Billing, _billing).Concat(Stdio("policy", BuiltPlugins.Policy, _policy));
        _harness = new McpHarness(governance: governance, realServers: new Dictionary<string, string?>(servers));
    }

    public ChatClientAgent Specialist { get; private set; } = null!;

    public IServiceProvider Services => _harness.Services;

    /// <summary>Starts both plugin processes and builds the agent over every tool they serve.</summary>
    public static async Task<BillingAgentDesk> StartAsync(Action<GovernanceOptions>? governance = null)
    {
        var desk = new BillingAgentDesk(governance);
        try
        {
            // Every tool of both servers is offered, so a tool the allow-list forbids is refused by governance at call time.
            var tools = await desk._harness.Catalog.GetToolsAsync(["billing", "policy"]).WaitAsync(Timeouts.Start);
            desk.Specialist = new ChatClientAgent(
                new MockChatClient(MockScript.Parse(Script, "billing desk")),
                new ChatClientAgentOptions
                {
                    Name = Agent,
                    ChatOptions = new ChatOptions
                    {
                        Instructions = "You are the billing specialist.",
                        Tools = [.. tools],
                        AdditionalProperties = new() { [MockChatClient.AgentPropertyKey] = Agent },
                    },
                });
            return desk;
        }
        catch
        {
            await desk.DisposeAsync();
            throw;
        }
    }

    /// <summary>One turn of the agent on behalf of <paramref name="run"/>'s principal.</summary>
    public async Task<AgentResponse> RunAsync(AgentRunContext run, string message)
    {
        using (AgentRunContext.Enter(run))
        {
            return await Specialist.RunAsync(message);
        }
    }

    public long RefundsPaid() => BillingData.RefundRows(_billing, RefundKey);

    public async Task<List<AuditEntry>> AuditAsync(string runId) =>
        [.. (await _harness.AuditAsync()).Select(r => r.Entry).Where(e => e.RunId == runId)];

    public async Task<bool> AuditVerifiesAsync() =>
        (await AuditVerifier.VerifyAsync(_harness.Services.GetRequiredService<IAuditStore>())).Ok;

    public async ValueTask DisposeAsync()
    {
        await _harness.DisposeAsync();
        _billing.Delete();
        _policy.Delete();
    }

    private static Dictionary<string, string?> Stdio(string server, string plugin, TempDataFile data) => new()
    {
        [$"Mcp:Servers:{server}:Command"] = "dotnet",
        [$"Mcp:Servers:{server}:Arguments:0"] = BuiltPlugins.DllPath(plugin),
        [$"Mcp:Servers:{server}:Arguments:1"] = "--data",
        [$"Mcp:Servers:{server}:Arguments:2"] = data.Path,
    };
}
