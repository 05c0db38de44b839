using AgentSuite.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace AgentSuite.Benchmarks;

/// <summary>
/// The Api inside the benchmark's own process (for measuring its managed heap), on real Kestrel at 127.0.0.1: built by
/// <see cref="ApiApplication.Build(WebApplicationOptions, Action{WebApplicationBuilder}?)"/> with src/AgentSuite.Api as
/// the content root, so its appsettings.json applies, plus the benchmark's settings. Its logs go to stderr, away from
/// the tables.
/// </summary>
internal sealed class InProcessApi : IAsyncDisposable
{
    private readonly WebApplication _app;

    private InProcessApi(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<InProcessApi> StartAsync(string dataFolder, bool limitsOff, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var baseAddress = FreePort.NewLoopbackAddress();
        var app = ApiApplication.Build(
            new WebApplicationOptions { ContentRootPath = BuiltApi.ContentRoot, EnvironmentName = Environments.Production },
            builder =>
            {
                builder.Configuration.AddInMemoryCollection(ApiSettings.For(baseAddress, dataFolder, limitsOff, settings));
                builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
            });
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return new InProcessApi(app, baseAddress);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _app.StopAsync();
        }
        finally
        {
            await _app.DisposeAsync();
        }
    }
}
