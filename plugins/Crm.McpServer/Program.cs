using Crm.McpServer;
using Microsoft.Extensions.DependencyInjection;

return await McpPluginHost.RunAsync("crm", args, plugin =>
{
    plugin.UseSqlite(CrmSchema.Sql, CrmSchema.Seed);
    plugin.Services.AddSingleton<CrmStore>();
    plugin.AddTools<CrmTools>();
}, defaultPort: 5102);
