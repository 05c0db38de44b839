namespace AgentSuite.Cli.Api;

/// <summary>The model the agents use: provider, name, and for OpenAI its endpoint.</summary>
public sealed record ModelStatus(string Provider, string Name, string? Endpoint);
