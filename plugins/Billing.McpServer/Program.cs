using Billing.McpServer;
using Microsoft.Extensions.DependencyInjection;

return await McpPluginHost.RunAsync("billing", args, plugin =>
{
    plugin.UseSqlite(BillingSchema.Sql, BillingSchema.Seed);
    plugin.Services.AddSingleton<BillingStore>();
    plugin.AddTools<BillingTools>();
}, defaultPort: 5101);
