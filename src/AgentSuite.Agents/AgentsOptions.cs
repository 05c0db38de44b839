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
}
