namespace AgentSuite.AppHost;

/// <summary>
/// Every fact the AppHost wires: resource names, ports, arguments, environment variables, paths. AppHost.cs declares
/// the resources from it, and tests/AgentSuite.Hosting.Tests compiles this same file to start the same processes with
/// the same arguments and settings, so the AppHost (which cannot be built on the CI machine) and its tests cannot drift.
/// </summary>
public static class AppHostSettings
{
    public static readonly ResourceSettings Api = new("api", 5080);
    public static readonly ResourceSettings Billing = new("billing", 5101);
    public static readonly ResourceSettings Crm = new("crm", 5102);
    public static readonly ResourceSettings Policy = new("policy", 5103);

    /// <summary>The mock model server, speaking the OpenAI Chat Completions protocol under <see cref="ModelPath"/>.</summary>
    public static readonly ResourceSettings MockModel = new("model", 5090);

    /// <summary>The plugin servers; each name is also the server's key under <c>Mcp:Servers</c> and its agents' allow-lists.</summary>
    public static IReadOnlyList<ResourceSettings> Plugins { get; } = [Billing, Crm, Policy];

    /// <summary>The endpoint <c>WithHttpEndpoint</c> declares when it is given no name.</summary>
    public const string EndpointName = "http";

    /// <summary>The host an Aspire endpoint reference puts in its URL for a process on this machine.</summary>
    public const string EndpointHost = "localhost";

    public const string HealthPath = "/health";

    public const string McpPath = "/mcp";

    /// <summary>The folder, under the AppHost's own folder, that holds the Api's store and each plugin's data file.</summary>
    public const string DataFolder = "data";

    /// <summary>
    /// Where the Api listens. Aspire sets <c>ASPNETCORE_URLS</c>, but the Api's appsettings.json <c>Urls</c> wins over
    /// that; a plain <c>Urls</c> variable wins over appsettings.json.
    /// </summary>
    public const string UrlsVariable = "Urls";

    public const string DataFolderVariable = "AgentSuite__DataFolder";

    public const string ModelProviderVariable = "Model__Provider";
    public const string ModelEndpointVariable = "Model__Endpoint";
    public const string ModelNameVariable = "Model__Name";
    public const string ModelApiKeyVariable = "Model__ApiKey";

    public const string MockProvider = "Mock";
    public const string OpenAIProvider = "OpenAI";

    /// <summary>Where an OpenAI-compatible server serves the protocol; <c>Model:Endpoint</c> is its URL plus this.</summary>
    public const string ModelPath = "/v1";

    /// <summary>The model name the mock model server answers as.</summary>
    public const string MockModelName = "agentsuite-mock";

    /// <summary>AppHost parameters (<c>Parameters:model-endpoint</c>, ...); setting the endpoint switches the Api to it.</summary>
    public const string ModelEndpointParameter = "model-endpoint";
    public const string ModelNameParameter = "model-name";
    public const string ModelApiKeyParameter = "model-api-key";

    /// <summary>The variable that gives the Api a plugin's Streamable HTTP URL: <c>Mcp__Servers__billing__Url</c>.</summary>
    public static string McpUrlVariable(ResourceSettings plugin) => $"Mcp__Servers__{plugin.Name}__Url";

    /// <summary>The configuration key .NET reads from an environment variable (<c>__</c> is <c>:</c>).</summary>
    public static string ConfigurationKey(string variable) => variable.Replace("__", ":", StringComparison.Ordinal);

    /// <summary>A resource and the fixed port it listens on, on 127.0.0.1 only.</summary>
    public sealed record ResourceSettings(string Name, int Port)
    {
        public string Url => $"http://127.0.0.1:{Port}";

        /// <summary>The URL an Aspire endpoint reference to this resource resolves to.</summary>
        public string EndpointUrl => $"http://{EndpointHost}:{Port}";

        public string DataFile(string dataFolder) => Path.Combine(dataFolder, Name + ".db");

        /// <summary>A plugin server's command line: Streamable HTTP at /mcp and health at /health on <see cref="Url"/>.</summary>
        public string[] PluginArguments(string dataFolder) => ["--http", "--urls", Url, "--data", DataFile(dataFolder)];

        /// <summary>The mock model server's command line: the OpenAI protocol at /v1 and health at /health on <see cref="Url"/>.</summary>
        public string[] ModelArguments() => ["--urls", Url];
    }
}
