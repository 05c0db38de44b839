using System.Text.Json;

namespace AgentSuite.Models.Tests.Support;

/// <summary>One request as the server received it.</summary>
public sealed record LoopbackRequest(JsonElement Json, string Body, IReadOnlyDictionary<string, string> Headers, DateTimeOffset At);
