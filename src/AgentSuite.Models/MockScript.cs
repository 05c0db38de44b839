namespace AgentSuite.Models;

/// <summary>
/// A parsed mock script: per agent, the rules that say which tools the mock model calls and what it replies.
/// Immutable once loaded, so one script serves every conversation at once. The format is in docs/mock-model.md.
/// </summary>
public sealed class MockScript
{
    /// <summary>The agent key whose rules apply to every agent, after the agent's own.</summary>
    public const string AnyAgent = "*";

    private readonly IReadOnlyDictionary<string, IReadOnlyList<MockRule>> _rules;

    private MockScript(string name, IReadOnlyDictionary<string, IReadOnlyList<MockRule>> rules, bool isReplay)
    {
        Name = name;
        _rules = rules;
        IsReplay = isReplay;
        CountsOccurrences = rules.Values.Any(r => r.Any(rule => rule.Occurrence is not null));
    }

    /// <summary>The file name, or the name given to <see cref="Parse"/>; error messages and replies use it.</summary>
    public string Name { get; }

    /// <summary>
    /// A strict replay (<c>replay: true</c>, as converted recordings are): what a normal script answers honestly in text
    /// (a message it has no rule for, a step it does not have, a tool not offered) throws a <see cref="ReplayDivergenceException"/>.
    /// </summary>
    public bool IsReplay { get; }

    /// <summary>Some rule answers only the n-th time its message comes, so the client counts messages per conversation.</summary>
    internal bool CountsOccurrences { get; }

    /// <summary>The agents the script has rules for (<c>*</c> included when present).</summary>
    public IReadOnlyCollection<string> Agents => [.. _rules.Keys];

    /// <summary>Where the demo script for the sample domain is copied beside the app: <c>Scripts/demo.yaml</c>.</summary>
    public static string DemoPath => Path.Combine(AppContext.BaseDirectory, "Scripts", "demo.yaml");

    /// <exception cref="MockScriptException">The YAML is not a valid script; the message names the line and the problem.</exception>
    public static MockScript Parse(string yaml, string name = "mock script")
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var reader = new MockScriptReader(name);
        var rules = reader.Read(yaml);
        return new MockScript(name, rules, reader.IsReplay);
    }

    /// <summary>
    /// Reads a script file; a <c>.jsonl</c> file is a recording (<see cref="RecordingChatClient"/>), converted to the script
    /// that replays it (<see cref="RecordingConverter.ToScriptYaml(string)"/>).
    /// </summary>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="MockScriptException">The file is not a valid script or recording; the message names the file, the line and the problem.</exception>
    public static MockScript Load(string path)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new FileNotFoundException($"The mock script '{full}' does not exist. Point to a script file (the demo one is Scripts/demo.yaml beside the app) or a recording (.jsonl).", full);
        }

        var yaml = RecordingConverter.IsRecording(full) ? RecordingConverter.ToScriptYaml(full) : File.ReadAllText(full);
        return Parse(yaml, Path.GetFileName(full));
    }

    /// <summary>The demo script of the sample domain (coordinator, billing, support).</summary>
    public static MockScript LoadDemo() => Load(DemoPath);

    /// <summary>The rules tried for <paramref name="agent"/>, in order: its own, then those for every agent.</summary>
    internal IEnumerable<MockRule> RulesFor(string? agent)
    {
        var own = agent is not null && agent != AnyAgent && _rules.TryGetValue(agent, out var rules) ? rules : [];
        return _rules.TryGetValue(AnyAgent, out var shared) ? own.Concat(shared) : own;
    }
}
