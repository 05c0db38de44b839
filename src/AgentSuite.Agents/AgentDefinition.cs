using Microsoft.SemanticKernel;

namespace AgentSuite.Agents;

/// <summary>
/// An agent as a file in <c>prompts/</c> defines it: Semantic Kernel's prompt-template keys (<c>name</c>,
/// <c>description</c>, <c>template</c>, <c>execution_settings</c>) plus the MCP servers it draws tools from and the
/// specialists it may hand work to.
/// </summary>
public sealed record AgentDefinition(string Name, string Description, string Template)
{
    /// <summary>MCP servers (names under <c>Mcp:Servers</c>) whose tools this agent is offered, subject to its allow-list.</summary>
    public IReadOnlyList<string> Servers { get; init; } = [];

    /// <summary>Agents this one may hand work to; each becomes a governed tool <c>agents/ask_NAME</c>.</summary>
    public IReadOnlyList<string> HandOffs { get; init; } = [];

    /// <summary>Model settings from <c>execution_settings.default</c> (e.g. <c>temperature</c>, <c>max_tokens</c>, <c>model_id</c>).</summary>
    public IReadOnlyDictionary<string, object?> ExecutionSettings { get; init; } = new Dictionary<string, object?>();

    /// <summary>
    /// The instructions as a Semantic Kernel prompt template (<c>template_format: semantic-kernel</c>), rendered on each run
    /// with the run's arguments (<c>{{$name}}</c>, <c>{{$today}}</c>, ...); checked when the file is loaded.
    /// </summary>
    public IPromptTemplate? PromptTemplate { get; init; }

    /// <summary>Where it was loaded from, for error messages.</summary>
    public string? Source { get; init; }
}
