namespace AgentSuite.Models;

/// <summary>
/// How to reach a model over the OpenAI Chat Completions protocol: <c>Model:Endpoint</c>, <c>Model:Name</c> and
/// <c>Model:ApiKey</c>, or an Aspire-style connection string (<c>ConnectionStrings:model</c>), plus the retry settings.
/// </summary>
public sealed record OpenAIModelOptions
{
    /// <summary>The base address including <c>/v1</c> (e.g. <c>http://127.0.0.1:11434/v1</c> for Ollama); null for OpenAI itself.</summary>
    public Uri? Endpoint { get; init; }

    /// <summary>The model (OpenAI model name, Azure deployment, Ollama tag); an agent's <c>model_id</c> setting overrides it.</summary>
    public required string Model { get; init; }

    /// <summary>The key; empty for local servers that take none. Never logged, traced, audited or recorded.</summary>
    public string? ApiKey { get; init; }

    /// <summary>Retries after the first attempt for 408, 429, 5xx and connection failures.</summary>
    public int MaxRetries { get; init; } = 3;

    /// <summary>The first backoff delay; each retry doubles it, with jitter. A <c>Retry-After</c> answer takes precedence.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest <c>Retry-After</c> honoured; a server asking for longer is retried after this long.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one attempt may wait for an answer, and a stream for its next piece.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(100);
}
