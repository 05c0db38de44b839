using System.Data.Common;
using System.Globalization;
using AgentSuite.Models;
using Microsoft.Extensions.Configuration.Json;

namespace AgentSuite.Api;

/// <summary>
/// Which model the Api talks to, from the <c>Model</c> section: the mock (the default; <c>Model:Script</c> picks its
/// script, <c>Model:CallIds</c> how it names its calls) or any OpenAI-compatible server (<c>Model:Provider=OpenAI</c> with <c>Model:Endpoint</c>, <c>Model:Name</c>,
/// <c>Model:ApiKey</c>, or an Aspire-style <c>ConnectionStrings:model</c> of <c>Endpoint=...;Key=...;Model=...</c>;
/// the <c>Model:*</c> keys win). A key must come from user-secrets or the environment: one found in a committed
/// settings file stops the Api at start.
/// </summary>
internal static class ModelSettings
{
    public const string MockProvider = "Mock";
    public const string OpenAIProvider = "OpenAI";
    public const string ConnectionStringName = "model";

    public static bool IsOpenAI(IConfiguration configuration) =>
        string.Equals(configuration["Model:Provider"], OpenAIProvider, StringComparison.OrdinalIgnoreCase);

    /// <summary>How the mock names its tool calls (<c>Model:CallIds</c>: <c>sequential</c>, the default, or <c>random</c>).</summary>
    public static MockCallIds CallIds(IConfiguration configuration) => MockCallIdsSetting.Parse(configuration["Model:CallIds"], "Model:CallIds");

    /// <summary>Checks <c>Model:Provider</c> names a provider this build has.</summary>
    public static void RequireKnownProvider(IConfiguration configuration)
    {
        var provider = configuration["Model:Provider"];
        if (provider is { Length: > 0 } && !string.Equals(provider, MockProvider, StringComparison.OrdinalIgnoreCase) && !IsOpenAI(configuration))
        {
            throw new InvalidOperationException($"Model:Provider is '{provider}', but this build knows '{MockProvider}' (the scripted mock, the default) and '{OpenAIProvider}' (any OpenAI-compatible server: OpenAI, Azure OpenAI's /openai/v1 endpoint, Ollama, vLLM, LM Studio, the mock model server).");
        }
    }

    /// <summary>The OpenAI-compatible model's settings, each error naming the key to set.</summary>
    public static OpenAIModelOptions OpenAI(IConfigurationRoot configuration)
    {
        var section = configuration.GetSection("Model");
        var connection = Parse(configuration.GetConnectionString(ConnectionStringName));
        RefuseCommittedSecret(configuration, "Model:ApiKey");
        if (connection.ContainsKey("key"))
        {
            RefuseCommittedSecret(configuration, $"ConnectionStrings:{ConnectionStringName}");
        }

        var endpointText = section["Endpoint"] is { Length: > 0 } e ? e : connection.GetValueOrDefault("endpoint");
        Uri? endpoint = null;
        if (endpointText is { Length: > 0 } && (!Uri.TryCreate(endpointText, UriKind.Absolute, out endpoint) || endpoint.Scheme is not ("http" or "https")))
        {
            throw new InvalidOperationException($"Model:Endpoint '{endpointText}' is not an absolute http(s) URL; give the server's base address including /v1, e.g. http://127.0.0.1:11434/v1 for Ollama.");
        }

        var model = section["Name"] is { Length: > 0 } n ? n : connection.GetValueOrDefault("model") ?? connection.GetValueOrDefault("deployment");
        if (string.IsNullOrWhiteSpace(model))
        {
            throw new InvalidOperationException("Model:Provider is OpenAI but no model is named: set Model:Name (e.g. gpt-4o-mini, or llama3.1 for Ollama), or Model= in ConnectionStrings:model.");
        }

        var key = section["ApiKey"] is { Length: > 0 } k ? k : connection.GetValueOrDefault("key");
        if (endpoint is null && string.IsNullOrEmpty(key))
        {
            throw new InvalidOperationException("Model:Provider is OpenAI with no Model:Endpoint, so it calls OpenAI itself, which needs a key: run `dotnet user-secrets set Model:ApiKey <key> --project src/AgentSuite.Api` or set the environment variable Model__ApiKey. For a local server, set Model:Endpoint instead.");
        }

        return new OpenAIModelOptions
        {
            Endpoint = endpoint,
            Model = model,
            ApiKey = key,
            MaxRetries = Number(section, "MaxRetries", 3),
            RetryDelay = Duration(section, "RetryDelay", TimeSpan.FromSeconds(1)),
            MaxRetryAfter = Duration(section, "MaxRetryAfter", TimeSpan.FromSeconds(30)),
            Timeout = Duration(section, "Timeout", TimeSpan.FromSeconds(100)),
        };
    }

    /// <summary>Every secret value the model settings hold, for scrubbing recordings.</summary>
    public static IReadOnlyList<string> Secrets(IConfiguration configuration) =>
        new[] { configuration["Model:ApiKey"], Parse(configuration.GetConnectionString(ConnectionStringName)).GetValueOrDefault("key") }
            .Where(s => s is { Length: > 0 }).Select(s => s!).Distinct(StringComparer.Ordinal).ToList();

    // The provider that gives a key its value is the last one holding it; only user-secrets' secrets.json may be a file.
    private static void RefuseCommittedSecret(IConfigurationRoot configuration, string key)
    {
        foreach (var provider in configuration.Providers.Reverse())
        {
            if (!provider.TryGet(key, out var value) || string.IsNullOrEmpty(value))
            {
                continue;
            }

            if (provider is JsonConfigurationProvider { Source.Path: { } relative } json && !string.Equals(Path.GetFileName(relative), "secrets.json", StringComparison.OrdinalIgnoreCase))
            {
                var path = json.Source.FileProvider?.GetFileInfo(relative).PhysicalPath ?? relative;
                throw new InvalidOperationException($"{key} holds a secret and is set in {path}, a file that is committed with the code. Remove it from there and use `dotnet user-secrets set {key} <value> --project src/AgentSuite.Api` or the environment variable {key.Replace(":", "__", StringComparison.Ordinal)}.");
            }

            return;
        }
    }

    private static Dictionary<string, string> Parse(string? connectionString)
    {
        var parts = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return parts;
        }

        try
        {
            var builder = new DbConnectionStringBuilder { ConnectionString = connectionString };
            foreach (string name in builder.Keys)
            {
                parts[name] = Convert.ToString(builder[name], CultureInfo.InvariantCulture) ?? "";
            }
        }
        catch (ArgumentException)
        {
            // Aspire also accepts a bare endpoint URL as the whole connection string.
            if (!Uri.TryCreate(connectionString, UriKind.Absolute, out _))
            {
                throw new InvalidOperationException($"ConnectionStrings:{ConnectionStringName} is neither 'Endpoint=...;Key=...;Model=...' nor a URL.");
            }

            parts["endpoint"] = connectionString;
        }

        return parts;
    }

    private static int Number(IConfigurationSection section, string key, int fallback) =>
        section[key] is not { Length: > 0 } text ? fallback
            : int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= 0 ? value
            : throw new InvalidOperationException($"Model:{key} is '{text}'; give a whole number of 0 or more.");

    private static TimeSpan Duration(IConfigurationSection section, string key, TimeSpan fallback) =>
        section[key] is not { Length: > 0 } text ? fallback
            : TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var value) && value > TimeSpan.Zero ? value
            : throw new InvalidOperationException($"Model:{key} is '{text}'; give a positive duration such as 00:00:30.");
}
