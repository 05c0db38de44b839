using Example.McpServer;
using Microsoft.Extensions.DependencyInjection;

// "example" is the server name the governance and the model see: tools example/get_item, model name example_get_item.
return await McpPluginHost.RunAsync("example", args, plugin =>
{
    plugin.UseSqlite(ExampleSchema.Sql, ExampleSchema.Seed);
    plugin.Services.AddSingleton<ExampleStore>();
    plugin.AddTools<ExampleTools>();
}, defaultPort: 5104);
