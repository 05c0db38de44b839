using System.Text.Json;

namespace AgentSuite.Api.Contract;

/// <summary>
/// A tool's approved and latest seen definitions (name, description, input schema, annotations) for a diff:
/// <see cref="Pinned"/> is absent when nothing was approved yet, or it was approved before definitions were kept.
/// </summary>
internal sealed record ToolDefinitionView(string Tool, bool Blocked, string? PinnedHash, string ObservedHash, JsonElement? Pinned, JsonElement? Observed);
