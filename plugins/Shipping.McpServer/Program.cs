using Shipping.McpServer;
using Microsoft.Extensions.DependencyInjection;

// "shipping" is the server name the governance and the model see: tools shipping/track_shipment, model name shipping_track_shipment.
return await McpPluginHost.RunAsync("shipping", args, plugin =>
{
    plugin.UseSqlite(ShippingSchema.Sql, ShippingSchema.Seed);
    plugin.Services.AddSingleton<ShippingStore>();
    plugin.AddTools<ShippingTools>();
}, defaultPort: 5104);
