namespace AgentSuite.Api.Contract;

/// <summary>The Api process that answered: <c>machine/pid</c>, and when it started.</summary>
internal sealed record InstanceView(string Name, DateTimeOffset StartedAt);
