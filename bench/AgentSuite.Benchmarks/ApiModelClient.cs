using AgentSuite.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace AgentSuite.Benchmarks;

/// <summary>
/// The model client the Api registers for <c>Model:Provider=OpenAI</c> at an endpoint, built by
/// <see cref="ApiApplication.Build(WebApplicationOptions, Action{WebApplicationBuilder}?)"/> and never started: the
/// provider as the app wires it, whichever implementation that is. Its logs go to stderr, away from the tables.
/// </summary>
internal sealed class ApiModelClient : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ApiModelClient(WebApplication app) => _app = app;

    public IChatClient Client => _app.Services.GetRequiredService<IChatClient>();

    public static ApiModelClient For(Uri endpoint, string model, string dataFolder)
    {
        var settings = ApiSettings.For(FreePort.NewLoopbackAddress(), dataFolder, limitsOff: true);
        settings["Model:Provider"] = "OpenAI";
        settings["Model:Endpoint"] = endpoint.ToString();
        settings["Model:Name"] = model;
        return new ApiModelClient(ApiApplication.Build(
            new WebApplicationOptions { ContentRootPath = BuiltApi.ContentRoot, EnvironmentName = Environments.Production },
            builder =>
            {
                builder.Configuration.AddInMemoryCollection(settings);
                builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
            }));
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
