namespace AgentSuite.Api.Contract;

/// <summary>The Api process that answered: <c>machine/pid/nonce</c> (as leases and <c>instances</c> name it), and when it started.</summary>
internal sealed record InstanceView(string Name, DateTimeOffset StartedAt);
