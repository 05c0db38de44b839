namespace AgentSuite.Models.Tests.Support;

/// <summary>One queued answer: status, content type, the body in pieces (null: fall silent), headers, and a delay before it.</summary>
public sealed record LoopbackAnswer(int Status, string ContentType, IReadOnlyList<string?> Pieces, IReadOnlyList<(string Name, string Value)> Headers, TimeSpan Delay);
