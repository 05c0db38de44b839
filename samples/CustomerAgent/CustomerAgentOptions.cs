using System.Globalization;

namespace CustomerAgent;

/// <summary>The command line: where AgentSuite is, who the agent is, and how hard it pushes.</summary>
internal sealed record CustomerAgentOptions(Uri Endpoint, string? Key, string? User, int Attempts, TimeSpan Spacing, int WaitSeconds)
{
    public const string KeyVariable = "AGENTSUITE_API_KEY";

    public const string Usage = """
        usage: CustomerAgent [--url URL] [--key KEY | --user NAME] [--attempts N] [--spacing SECONDS] [--wait-seconds S]
          --url           the Api's MCP endpoint (default http://127.0.0.1:5080/mcp)
          --key           the agent's API key (default: the AGENTSUITE_API_KEY variable), sent as X-Api-Key
          --user          instead of a key, the name to send as X-User (an Api in local demo mode only)
          --attempts      how many times to ask (default 50)
          --spacing       seconds between one answer and the next attempt (default 1.2: 50 attempts in about a minute)
          --wait-seconds  how long each call waits for its answer (default 5)
        """;

    /// <summary>Reads the arguments; a bad one is an <see cref="ArgumentException"/> whose message says what to pass.</summary>
    public static CustomerAgentOptions Parse(string[] args, Func<string, string?> environment)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] is not ("--url" or "--key" or "--user" or "--attempts" or "--spacing" or "--wait-seconds"))
            {
                throw new ArgumentException($"Unknown argument '{args[i]}'.");
            }

            values[args[i]] = i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
        }

        var url = values.GetValueOrDefault("--url", "http://127.0.0.1:5080/mcp");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException($"--url '{url}' is not an http(s) address; pass the Api's MCP endpoint, e.g. http://127.0.0.1:5080/mcp.");
        }

        var key = values.GetValueOrDefault("--key") ?? environment(KeyVariable);
        var user = values.GetValueOrDefault("--user");
        if (string.IsNullOrEmpty(key) == string.IsNullOrEmpty(user))
        {
            throw new ArgumentException($"Pass the agent's API key (--key, or the {KeyVariable} variable) or, for an Api in demo mode, --user NAME; one of them.");
        }

        return new CustomerAgentOptions(
            endpoint,
            string.IsNullOrEmpty(key) ? null : key,
            string.IsNullOrEmpty(user) ? null : user,
            Number(values, "--attempts", 50, 1, 10_000),
            TimeSpan.FromSeconds(Seconds(values, "--spacing", 1.2)),
            Number(values, "--wait-seconds", 5, 0, 600));
    }

    private static int Number(Dictionary<string, string> values, string name, int fallback, int min, int max)
    {
        if (!values.TryGetValue(name, out var text))
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw new ArgumentException($"{name} must be a whole number from {min} to {max}; got '{text}'.");
    }

    private static double Seconds(Dictionary<string, string> values, string name, double fallback)
    {
        if (!values.TryGetValue(name, out var text))
        {
            return fallback;
        }

        return double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var s) && s <= 3600
            ? s
            : throw new ArgumentException($"{name} must be a number of seconds from 0 to 3600; got '{text}'.");
    }
}
