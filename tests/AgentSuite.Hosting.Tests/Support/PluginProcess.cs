using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using AgentSuite.AppHost;
using AgentSuite.Plugins.Tests.Support;
using ModelContextProtocol.Client;

namespace AgentSuite.Hosting.Tests.Support;

/// <summary>
/// A plugin server started as the AppHost starts it: <c>dotnet Plugin.dll</c> with <see cref="AppHostSettings.ResourceSettings.PluginArguments"/>,
/// ready once its health endpoint answers at the URL an Aspire endpoint reference gives (<c>http://localhost:PORT</c>).
/// </summary>
public sealed class PluginProcess : IAsyncDisposable
{
    private readonly ProcessOutput _process;

    private PluginProcess(AppHostSettings.ResourceSettings plugin, IReadOnlyList<string> arguments, ProcessOutput process)
    {
        Plugin = plugin;
        Arguments = arguments;
        _process = process;
    }

    public AppHostSettings.ResourceSettings Plugin { get; }

    /// <summary>The command line after the dll: exactly what the AppHost passes.</summary>
    public IReadOnlyList<string> Arguments { get; }

    /// <summary>Where the Api is told to find this server: the endpoint reference's URL plus the MCP path.</summary>
    public Uri McpUri => new(Plugin.EndpointUrl + AppHostSettings.McpPath);

    public Uri HealthUri => new(Plugin.EndpointUrl + AppHostSettings.HealthPath);

    public static async Task<PluginProcess> StartAsync(AppHostSettings.ResourceSettings plugin, string dataFolder)
    {
        RequirePortFree(plugin);
        var arguments = plugin == AppHostSettings.MockModel ? plugin.ModelArguments() : plugin.PluginArguments(dataFolder);
        var start = new ProcessStartInfo("dotnet");
        start.ArgumentList.Add(BuiltPlugins.DllPath(AssemblyOf(plugin)));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var server = new PluginProcess(plugin, arguments, ProcessOutput.Start(start));
        try
        {
            await server._process.WaitHealthyAsync(server.HealthUri, $"The {plugin.Name} plugin");
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>An MCP client over Streamable HTTP at <see cref="McpUri"/>.</summary>
    public async Task<McpClient> ConnectAsync()
    {
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = McpUri,
            TransportMode = HttpTransportMode.StreamableHttp,
            ConnectionTimeout = Timeouts.Call,
        });
        using var timeout = new CancellationTokenSource(Timeouts.Start);
        return await McpClient.CreateAsync(transport, cancellationToken: timeout.Token);
    }

    public ValueTask DisposeAsync()
    {
        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    private static string AssemblyOf(AppHostSettings.ResourceSettings plugin) =>
        plugin == AppHostSettings.Billing ? BuiltPlugins.Billing
        : plugin == AppHostSettings.Crm ? BuiltPlugins.Crm
        : plugin == AppHostSettings.Policy ? BuiltPlugins.Policy
        : plugin == AppHostSettings.MockModel ? "AgentSuite.MockModelServer"
        : throw new ArgumentException($"{plugin.Name} is not a plugin server of the AppHost.", nameof(plugin));

    /// <summary>The AppHost's ports are fixed, so a server already running there (an AppHost, a plugin run by hand) would answer instead.</summary>
    private static void RequirePortFree(AppHostSettings.ResourceSettings plugin)
    {
        try
        {
            // Both loopbacks: a client of http://localhost:PORT may try [::1] first.
            foreach (var address in Socket.OSSupportsIPv6 ? new[] { IPAddress.Loopback, IPAddress.IPv6Loopback } : [IPAddress.Loopback])
            {
                var listener = new TcpListener(address, plugin.Port);
                listener.Start();
                listener.Stop();
            }
        }
        catch (SocketException e)
        {
            throw new InvalidOperationException(
                $"Port {plugin.Port}, where the AppHost runs the {plugin.Name} plugin, is in use ({e.SocketErrorCode}). " +
                "Stop whatever listens there (a running AppHost, or a plugin started with --http) and run the tests again.", e);
        }
    }
}
