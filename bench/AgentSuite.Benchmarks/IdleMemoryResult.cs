namespace AgentSuite.Benchmarks;

/// <summary>What N idle conversations (one completed turn each) added to the in-process Api, after full collections.</summary>
internal sealed record IdleMemoryResult(string Variant, int Conversations, long ManagedBytes, long WorkingSetBytes)
{
    public double ManagedKBPerConversation => ManagedBytes / 1024.0 / Conversations;

    public double WorkingSetKBPerConversation => WorkingSetBytes / 1024.0 / Conversations;
}
