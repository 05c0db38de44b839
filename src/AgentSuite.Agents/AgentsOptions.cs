namespace AgentSuite.Agents;

/// <summary>The <c>Agents</c> configuration section.</summary>
public sealed class AgentsOptions
{
    public const string SectionName = "Agents";

    /// <summary>The folder of agent YAML files, relative to the app's content root.</summary>
    public string PromptsFolder { get; set; } = "prompts";

    /// <summary>The agent a user's message goes to.</summary>
    public string Coordinator { get; set; } = "coordinator";

    public ToolLoopOptions ToolLoop { get; set; } = new();

    /// <summary>
    /// How deep hand-offs may nest below the agent a user talks to (coordinator -> billing is 1). A hand-off beyond it,
    /// or to an agent already working on the request, is denied.
    /// </summary>
    public int MaximumHandOffDepth { get; set; } = 3;

    /// <summary>
    /// How many times a turn is resumed after the process running it stopped before it is abandoned: a turn that takes
    /// its process down each time must not do so forever.
    /// </summary>
    public int MaximumResumes { get; set; } = 3;

    /// <summary>Agents served by another process over MCP, by name: a hand-off to one is a call to its <c>ask_NAME</c> tool.</summary>
    public Dictionary<string, Remote.RemoteAgentOptions> Remote { get; set; } = new(StringComparer.Ordinal);
}
