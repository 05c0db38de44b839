// Billing's get_invoice and issue_refund over stdio (or --http), on Billing's schema and seed in the --data file; see
// CommitThenHangTools for the one difference. Test-only: the shipped product has no such hook.
using AgentSuite.McpHosting;
using AgentSuite.TestPlugins.CommitThenHang;
using Billing.McpServer;
using Microsoft.Extensions.DependencyInjection;

return await McpPluginHost.RunAsync("billing", args, plugin =>
{
    plugin.UseSqlite(BillingSchema.Sql, BillingSchema.Seed);
    plugin.Services.AddSingleton<BillingStore>();
    plugin.AddTools<CommitThenHangTools>();
}, defaultPort: 5199);
