namespace AgentSuite.Benchmarks;

/// <summary>What an external agent sends in a phase.</summary>
internal enum FrontDoorMix
{
    /// <summary>New requests only, without keys, lookups and refunds in turn: every call is a turn (the HTTP API's baseline can send the same).</summary>
    Fresh,

    /// <summary>A persistent agent: lookups and refunds with and without keys, deliberate retries of a key (one after the other and two at once), and a key reused for another message.</summary>
    Persistent,
}
