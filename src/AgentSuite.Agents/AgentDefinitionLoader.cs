using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace AgentSuite.Agents;

/// <summary>Reads agent definitions from YAML files; every error names the file and what to fix.</summary>
public static class AgentDefinitionLoader
{
    private static readonly IDeserializer Yaml = new DeserializerBuilder()
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .Build();

    /// <summary>
    /// Every <c>*.yaml</c> / <c>*.yml</c> in <paramref name="folder"/> (not recursive), by agent name. A hand-off may name an
    /// agent of <paramref name="remote"/> (<c>Agents:Remote</c>) that has no file here.
    /// </summary>
    public static IReadOnlyDictionary<string, AgentDefinition> LoadFolder(string folder, IReadOnlyCollection<string>? remote = null)
    {
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"The agents folder '{Path.GetFullPath(folder)}' does not exist; set Agents:PromptsFolder to the folder holding the agent YAML files.");
        }

        var agents = new Dictionary<string, AgentDefinition>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(folder).Where(f => f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal))
        {
            var agent = Parse(File.ReadAllText(file), file);
            if (!agents.TryAdd(agent.Name, agent))
            {
                throw new FormatException($"{file}: an agent named '{agent.Name}' is already defined in {agents[agent.Name].Source}.");
            }
        }

        foreach (var agent in agents.Values)
        {
            foreach (var target in agent.HandOffs)
            {
                if (!agents.ContainsKey(target) && remote?.Contains(target) != true)
                {
                    throw new FormatException($"{agent.Source}: hands off to '{target}', but no agent of that name is defined in {folder} (nor under Agents:Remote).");
                }
            }
        }

        return agents;
    }

    public static AgentDefinition Parse(string yaml, string source = "(inline)")
    {
        AgentFile file;
        try
        {
            file = Yaml.Deserialize<AgentFile>(yaml) ?? throw new FormatException($"{source}: the file is empty.");
        }
        catch (YamlException ex)
        {
            throw new FormatException($"{source} (line {ex.Start.Line}, column {ex.Start.Column}): {ex.InnerException?.Message ?? ex.Message}", ex);
        }

        if (string.IsNullOrWhiteSpace(file.Name) || !file.Name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
        {
            throw new FormatException($"{source}: 'name' must be set and use only letters, digits, '_' and '-' (it becomes the tool name ask_<name>).");
        }

        if (string.IsNullOrWhiteSpace(file.Template))
        {
            throw new FormatException($"{source}: agent '{file.Name}' has no 'template' (its instructions).");
        }

        var template = file.Template.Trim();
        return new AgentDefinition(file.Name, file.Description ?? "", template)
        {
            PromptTemplate = AgentInstructions.Compile(file.Name, template, file.TemplateFormat, source),
            Servers = file.Servers ?? [],
            HandOffs = file.Agents ?? [],
            ExecutionSettings = file.ExecutionSettings is { } settings && settings.TryGetValue("default", out var defaults) && defaults is not null
                ? defaults.ToDictionary(kv => kv.Key, kv => Scalar(kv.Value), StringComparer.Ordinal)
                : new Dictionary<string, object?>(),
            Source = source,
        };
    }

    // YAML scalars arrive as strings; numbers and booleans are given their types so model options bind naturally.
    private static object? Scalar(object? value) => value switch
    {
        string s when long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) => l,
        string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        string s when bool.TryParse(s, out var b) => b,
        _ => value,
    };

    private sealed class AgentFile
    {
        public string? Name { get; set; }

        public string? Description { get; set; }

        public string? Template { get; set; }

        public string? TemplateFormat { get; set; }

        public List<string>? Servers { get; set; }

        public List<string>? Agents { get; set; }

        public Dictionary<string, Dictionary<string, object?>?>? ExecutionSettings { get; set; }

        public List<Dictionary<string, object?>>? InputVariables { get; set; }
    }
}
