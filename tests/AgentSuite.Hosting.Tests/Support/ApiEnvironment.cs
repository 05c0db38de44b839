using AgentSuite.AppHost;

namespace AgentSuite.Hosting.Tests.Support;

/// <summary>What the AppHost gives the Api (with no model parameter set: the mock model server), built from <see cref="AppHostSettings"/> alone.</summary>
public static class ApiEnvironment
{
    /// <summary>
    /// The environment variables AppHost.cs sets on the Api, but <c>Urls</c>: each plugin's endpoint reference plus the
    /// MCP path, the shared data folder, and the mock model server over the OpenAI protocol. The tests' Api listens on a free port; ApiProcessTests gives
    /// <c>Urls</c> too.
    /// </summary>
    public static Dictionary<string, string?> Variables(string dataFolder)
    {
        var variables = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            [AppHostSettings.DataFolderVariable] = dataFolder,
            [AppHostSettings.ModelProviderVariable] = AppHostSettings.OpenAIProvider,
            [AppHostSettings.ModelEndpointVariable] = AppHostSettings.MockModel.EndpointUrl + AppHostSettings.ModelPath,
            [AppHostSettings.ModelNameVariable] = AppHostSettings.MockModelName,
        };
        foreach (var plugin in AppHostSettings.Plugins)
        {
            variables[AppHostSettings.McpUrlVariable(plugin)] = plugin.EndpointUrl + AppHostSettings.McpPath;
        }

        return variables;
    }

    /// <summary>The same values as the configuration keys .NET reads from those variables (<c>Mcp:Servers:billing:Url</c>, ...).</summary>
    public static Dictionary<string, string?> Settings(string dataFolder) =>
        Variables(dataFolder).ToDictionary(v => AppHostSettings.ConfigurationKey(v.Key), v => v.Value, StringComparer.OrdinalIgnoreCase);
}
