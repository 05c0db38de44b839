using AgentSuite.AppHost;

namespace AgentSuite.Hosting.Tests.Support;

/// <summary>The AppHost's three plugin servers and the mock model server, each its own process on its AppHost port, sharing one fresh data folder as under the AppHost.</summary>
public sealed class AppHostPlugins : IAsyncDisposable
{
    private readonly List<PluginProcess> _servers = [];

    private AppHostPlugins(string dataFolder)
    {
        DataFolder = dataFolder;
    }

    /// <summary>The folder the AppHost gives the plugins (each its NAME.db) and the Api (its store).</summary>
    public string DataFolder { get; }

    public IReadOnlyList<PluginProcess> Servers => _servers;

    /// <summary>The mock model server the AppHost runs beside the plugins (the Api's model when no endpoint is given).</summary>
    public PluginProcess? Model { get; private set; }

    public static async Task<AppHostPlugins> StartAsync()
    {
        var plugins = new AppHostPlugins(Path.Combine(Path.GetTempPath(), "agentsuite-hosting-tests", Guid.NewGuid().ToString("N")));
        try
        {
            foreach (var plugin in AppHostSettings.Plugins)
            {
                plugins._servers.Add(await PluginProcess.StartAsync(plugin, plugins.DataFolder));
            }

            plugins.Model = await PluginProcess.StartAsync(AppHostSettings.MockModel, plugins.DataFolder);

            return plugins;
        }
        catch
        {
            await plugins.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }

        if (Model is not null)
        {
            await Model.DisposeAsync();
        }

        try
        {
            Directory.Delete(DataFolder, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
        catch (IOException)
        {
            // A process that has just been killed may hold its file a moment longer; the temp folder is cleaned eventually.
        }
    }
}
