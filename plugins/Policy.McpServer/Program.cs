using Microsoft.Extensions.DependencyInjection;
using Policy.McpServer;

return await McpPluginHost.RunAsync("policy", args, plugin =>
{
    plugin.UseSqlite(PolicySchema.Sql, PolicySchema.Seed);
    plugin.Services.AddSingleton<PolicyStore>();
    plugin.AddTools<PolicyTools>();
}, defaultPort: 5103);
