namespace AgentSuite.Api.Contract;

/// <summary>The model the agents use: provider (<c>mock</c> or <c>openai</c>), name, and for OpenAI its endpoint (never the key).</summary>
internal sealed record ModelView(string Provider, string Name, string? Endpoint);
