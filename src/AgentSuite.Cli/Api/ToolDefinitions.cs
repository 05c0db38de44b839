using System.Text.Json;

namespace AgentSuite.Cli.Api;

/// <summary>A tool's approved (<see cref="Pinned"/>, absent when none) and latest seen definitions.</summary>
public sealed record ToolDefinitions(string Tool, bool Blocked, string? PinnedHash, string? ObservedHash, JsonElement? Pinned, JsonElement? Observed);
