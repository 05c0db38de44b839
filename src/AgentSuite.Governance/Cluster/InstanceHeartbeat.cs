namespace AgentSuite.Governance.Cluster;

/// <summary>What an instance says of itself each time it reports in: who it is, the program's version and the policy it runs.</summary>
public sealed record InstanceHeartbeat(string Name, DateTimeOffset StartedAt, string? Version, string PolicyVersion, DateTimeOffset PolicyLoadedAt);
