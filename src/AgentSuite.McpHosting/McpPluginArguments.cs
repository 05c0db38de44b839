namespace AgentSuite.McpHosting;

/// <summary>
/// What a plugin's command line asks for: the transport, the HTTP address (<c>--urls</c>, or null to let ASP.NET Core's
/// own settings decide, then <see cref="DefaultUrls"/>) and the data file.
/// </summary>
public sealed record McpPluginArguments(bool Http, string? Urls, string DefaultUrls, string DataPath)
{
    public const string Usage =
        "usage: <plugin> [--data PATH]                      serve MCP over stdio (the default)\n" +
        "       <plugin> --http [--urls URL] [--data PATH]  serve MCP over Streamable HTTP at /mcp, health at /health\n" +
        "       (without --urls: ASPNETCORE_URLS, ASPNETCORE_HTTP_PORTS or Kestrel:Endpoints, else the plugin's loopback port)";

    /// <summary>
    /// Reads <c>--http</c>, <c>--urls URL</c> and <c>--data PATH</c> (also as <c>--name=value</c>). The data file falls
    /// back to the environment variable <c>NAME_MCP_DATA</c> (e.g. <c>BILLING_MCP_DATA</c>), then to
    /// <c>data/NAME.db</c> beside the built plugin. Throws <see cref="ArgumentException"/> naming the bad argument.
    /// </summary>
    public static McpPluginArguments Parse(string name, IReadOnlyList<string> args, int defaultPort)
    {
        var http = false;
        string? urls = null;
        string? data = null;
        for (var i = 0; i < args.Count; i++)
        {
            var (key, value) = Split(args[i]);
            switch (key)
            {
                case "--http":
                    http = true;
                    break;
                case "--urls":
                    urls = value ?? ValueAfter(args, ref i, key);
                    break;
                case "--data":
                    data = value ?? ValueAfter(args, ref i, key);
                    break;
                default:
                    throw new ArgumentException($"Unknown argument '{args[i]}'.\n{Usage}");
            }
        }

        data ??= Environment.GetEnvironmentVariable(DataVariable(name));
        data ??= Path.Combine(AppContext.BaseDirectory, "data", name + ".db");
        return new McpPluginArguments(http, urls, $"http://127.0.0.1:{defaultPort}", Path.GetFullPath(data));
    }

    /// <summary>The environment variable that names the plugin's data file when <c>--data</c> is not given.</summary>
    public static string DataVariable(string name) => name.ToUpperInvariant() + "_MCP_DATA";

    private static (string Key, string? Value) Split(string arg)
    {
        var equals = arg.IndexOf('=', StringComparison.Ordinal);
        return equals < 0 ? (arg, null) : (arg[..equals], arg[(equals + 1)..]);
    }

    private static string ValueAfter(IReadOnlyList<string> args, ref int i, string key)
    {
        if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
        {
            throw new ArgumentException($"{key} needs a value.\n{Usage}");
        }

        return args[++i];
    }
}
