using System.Globalization;
using AgentSuite.Governance;
using Microsoft.SemanticKernel;

namespace AgentSuite.Agents;

/// <summary>
/// An agent's instructions as a Semantic Kernel prompt template, and the arguments each run renders them with. A
/// template may read arguments (<c>{{$name}}</c>); it may not call functions, since rendering happens outside governance.
/// </summary>
public static class AgentInstructions
{
    public const string Format = "semantic-kernel";

    /// <summary>The arguments every run offers its instructions, with an example value each (used to check a template at load).</summary>
    public static IReadOnlyDictionary<string, string> Variables { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["name"] = "alice",
        ["agent"] = "billing",
        ["today"] = "2026-01-31",
        ["conversation_id"] = "conv_0",
    };

    private static readonly KernelPromptTemplateFactory Factory = new();

    /// <summary>Parses and test-renders <paramref name="template"/>; any error names the file and says what to fix.</summary>
    public static IPromptTemplate Compile(string agent, string template, string? format, string source)
    {
        if (format is not null && format != Format)
        {
            throw new FormatException($"{source}: template_format '{format}' is not supported; use '{Format}' (Semantic Kernel's {{{{$variable}}}} syntax).");
        }

        var config = new PromptTemplateConfig(template)
        {
            Name = agent,
            TemplateFormat = Format,

            // The result is a system message, not a chat prompt to parse, so argument values are inserted as written.
            AllowDangerouslySetContent = true,
        };
        try
        {
            var compiled = Factory.Create(config);

            // SK renders an unknown variable as nothing; a misspelt {{$nmae}} is an error here instead.
            if (config.InputVariables.Select(v => v.Name).FirstOrDefault(v => !Variables.ContainsKey(v)) is { } unknown)
            {
                throw new FormatException($"{source}: the template of agent '{agent}' uses {{{{${unknown}}}}}, which no run provides. It may use {string.Join(", ", Variables.Keys.Select(v => "{{$" + v + "}}"))}.");
            }

            var sample = new KernelArguments();
            foreach (var (name, value) in Variables)
            {
                sample[name] = value;
            }

            compiled.RenderAsync(new Kernel(), sample).GetAwaiter().GetResult();
            return compiled;
        }
        catch (Exception ex) when (ex is not FormatException and not OperationCanceledException)
        {
            throw new FormatException($"{source}: the template of agent '{agent}' is not a valid Semantic Kernel template ({ex.Message}). It may use the variables {string.Join(", ", Variables.Keys.Select(v => "{{$" + v + "}}"))} and no function calls.", ex);
        }
    }

    /// <summary>The arguments of one run: who is asking, which agent, today's date (UTC) and the conversation.</summary>
    public static KernelArguments For(AgentRunContext run, DateTimeOffset now, PromptExecutionSettings settings) => new(settings)
    {
        ["name"] = run.Principal.Name,
        ["agent"] = run.Agent,
        ["today"] = now.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["conversation_id"] = run.ConversationId,
    };
}
