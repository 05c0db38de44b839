using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace AgentSuite.Models;

/// <summary>
/// Reads the YAML of a mock script into rules, checking everything that can be checked before a conversation runs:
/// keys, regexes, templates, match groups and tool results a template refers to. Each problem names its line.
/// </summary>
internal sealed partial class MockScriptReader(string scriptName)
{
    internal static readonly string[] RootKeys = ["agents", "replay"];
    internal static readonly string[] RuleKeys = ["name", "when", "ignore_case", "occurrence", "steps"];
    internal static readonly string[] StepKeys = ["call", "arguments", "calls", "reply", "on_denied", "on_error", "even_if_not_offered", "arguments_json", "with_text", "previous_outcomes"];
    internal static readonly string[] CallKeys = ["call", "arguments", "arguments_json"];

    // A pattern comes from a script and meets arbitrary user text: a runaway pattern must not hang a conversation.
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(1);

    /// <summary>Whether the script read last says <c>replay: true</c>: strict, a recording's replay.</summary>
    public bool IsReplay { get; private set; }

    public IReadOnlyDictionary<string, IReadOnlyList<MockRule>> Read(string yaml)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException ex)
        {
            var problem = ex.InnerException?.Message ?? ex.Message;
            throw Error(ex.Start, problem.StartsWith("Duplicate key", StringComparison.Ordinal)
                ? $"a key appears twice in the same map ({problem}); keep one."
                : $"this is not valid YAML: {problem}");
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            throw new MockScriptException(scriptName, 1, 1, "the script is empty; it needs an 'agents:' map (see docs/mock-model.md).");
        }

        if (stream.Documents.Count > 1)
        {
            throw Error(stream.Documents[1].RootNode.Start, "the file holds more than one YAML document ('---'); put every agent under one 'agents:' map.");
        }

        var root = Mapping(stream.Documents[0].RootNode, "the script");
        CheckKeys(root, RootKeys, "the script");
        IsReplay = Optional(root, "replay") is { } replay && Boolean(replay, "'replay'");
        var agentsNode = Required(root, "agents", "the script");
        var agents = new Dictionary<string, IReadOnlyList<MockRule>>(StringComparer.Ordinal);
        foreach (var (key, value) in Mapping(agentsNode, "'agents'").Children)
        {
            var agent = Text(key, "an agent name");
            var rules = Sequence(value, $"agent '{agent}'").Children.Select(r => ReadRule(agent, r)).ToList();
            CheckReachable(rules);
            agents[agent] = rules;
        }

        return agents;
    }

    private MockRule ReadRule(string agent, YamlNode node)
    {
        var map = Mapping(node, $"a rule of agent '{agent}'");
        CheckKeys(map, RuleKeys, "a rule");
        var name = Optional(map, "name") is { } n ? Text(n, "'name'") : null;
        var ignoreCase = Optional(map, "ignore_case") is not { } ic || Boolean(ic, "'ignore_case'");
        var when = Optional(map, "when") is { } w ? Pattern(w, ignoreCase) : null;
        var occurrence = Optional(map, "occurrence") is { } o ? ReadOccurrence(o) : (int?)null;
        var stepsNode = Required(map, "steps", "a rule");
        var templates = new List<(Template Template, YamlNode Node)>();
        var steps = Sequence(stepsNode, "'steps'").Children.Select(s => ReadStep(s, templates)).ToList();
        if (steps.Count == 0)
        {
            throw Error(stepsNode.Start, "'steps' is empty; a rule needs at least one step (a call or a reply).");
        }

        var rule = new MockRule(agent, name, when, steps, Line(node.Start), occurrence);
        var called = steps.SelectMany(s => s.Calls).Select(c => c.Tool).ToHashSet(StringComparer.Ordinal);
        foreach (var (template, at) in templates)
        {
            CheckReferences(template, at, rule, called);
        }

        return rule;
    }

    private MockStep ReadStep(YamlNode node, List<(Template, YamlNode)> templates)
    {
        var map = Mapping(node, "a step");
        CheckKeys(map, StepKeys, "a step");
        var kinds = new[] { "call", "calls", "reply" }.Where(k => Optional(map, k) is not null).ToList();
        if (kinds.Count != 1)
        {
            throw Error(node.Start, kinds.Count == 0
                ? "a step needs one of 'call' (one tool), 'calls' (several tools at once) or 'reply' (text)."
                : $"a step has both '{kinds[0]}' and '{kinds[1]}'; a step either calls tools or replies: put the reply in the next step.");
        }

        foreach (var key in new[] { "arguments", "arguments_json" })
        {
            if (Optional(map, key) is { } stray && kinds[0] != "call")
            {
                throw Error(stray.Start, kinds[0] == "calls"
                    ? $"'{key}' belongs inside each item of 'calls'."
                    : $"'{key}' belongs to a 'call' step; this step replies.");
            }
        }

        var onDenied = Optional(map, "on_denied") is { } d ? ReadTemplate(d, "'on_denied'", templates) : null;
        var onError = Optional(map, "on_error") is { } e ? ReadTemplate(e, "'on_error'", templates) : null;
        var evenIfNotOffered = Optional(map, "even_if_not_offered") is { } force && Boolean(force, "'even_if_not_offered'");
        var withText = Optional(map, "with_text") is { } t ? ReadTemplate(t, "'with_text'", templates) : null;
        var previous = Optional(map, "previous_outcomes") is { } p ? ReadOutcomes(p) : null;
        switch (kinds[0])
        {
            case "reply":
                if ((Optional(map, "on_denied") ?? Optional(map, "on_error") ?? Optional(map, "even_if_not_offered")) is { } extra)
                {
                    throw Error(extra.Start, "'on_denied', 'on_error' and 'even_if_not_offered' are about calls; this step replies, it calls nothing.");
                }

                if (Optional(map, "with_text") is { } with)
                {
                    throw Error(with.Start, "'with_text' is text said alongside calls; this step calls nothing: its text is the 'reply'.");
                }

                return new MockStep(Line(node.Start), [], ReadTemplate(map.Children[new YamlScalarNode("reply")], "'reply'", templates), null, null, PreviousOutcomes: previous);
            case "call":
                return new MockStep(Line(node.Start), [ReadCall(map, node, templates)], null, onDenied, onError, evenIfNotOffered, withText, previous);
            default:
                var callsNode = map.Children[new YamlScalarNode("calls")];
                var calls = Sequence(callsNode, "'calls'").Children.Select(c =>
                {
                    var item = Mapping(c, "an item of 'calls'");
                    CheckKeys(item, CallKeys, "an item of 'calls'");
                    Required(item, "call", "an item of 'calls'");
                    return ReadCall(item, c, templates);
                }).ToList();
                return calls.Count == 0
                    ? throw Error(callsNode.Start, "'calls' is empty; list at least one '- call: TOOL'.")
                    : new MockStep(Line(node.Start), calls, null, onDenied, onError, evenIfNotOffered, withText, previous);
        }
    }

    private MockCall ReadCall(YamlMappingNode map, YamlNode at, List<(Template, YamlNode)> templates)
    {
        var toolNode = map.Children[new YamlScalarNode("call")];
        var tool = Text(toolNode, "'call'");
        if (!ToolName().IsMatch(tool))
        {
            throw Error(toolNode.Start, $"'{tool}' is not a tool name; 'call' takes the name the model sees (letters, digits, '_', '-'), e.g. billing_get_invoice.");
        }

        var arguments = new List<KeyValuePair<string, ArgumentTemplate>>();
        if (Optional(map, "arguments_json") is { } json)
        {
            arguments = Optional(map, "arguments") is { } both
                ? throw Error(both.Start, "a call has both 'arguments' and 'arguments_json'; keep one.")
                : ReadArgumentsJson(json);
        }
        else if (Optional(map, "arguments") is { } argumentsNode)
        {
            foreach (var (key, value) in Mapping(argumentsNode, "'arguments'").Children)
            {
                arguments.Add(new(Text(key, "an argument name"), ReadArgument(value, templates)));
            }
        }

        return new MockCall(tool, arguments, Line(at.Start));
    }

    private ArgumentTemplate ReadArgument(YamlNode node, List<(Template, YamlNode)> templates)
    {
        switch (node)
        {
            case YamlScalarNode scalar when scalar.Style == ScalarStyle.Plain && Typed(scalar.Value ?? "") is { } typed:
                return ArgumentTemplate.Constant(typed);
            case YamlScalarNode scalar:
                return ArgumentTemplate.Text(ReadTemplate(scalar, "an argument", templates));
            case YamlMappingNode map when IsUnquotedTemplate(map):
                throw Error(node.Start, "a value starting with '{{' must be quoted in YAML: write \"{{...}}\".");
            case YamlMappingNode map:
                return ArgumentTemplate.Map(map.Children.Select(p => new KeyValuePair<string, ArgumentTemplate>(Text(p.Key, "a key"), ReadArgument(p.Value, templates))).ToList());
            case YamlSequenceNode list:
                return ArgumentTemplate.List(list.Children.Select(i => ReadArgument(i, templates)).ToList());
            default:
                throw Error(node.Start, "an argument must be a value, a map or a list.");
        }
    }

    private Template ReadTemplate(YamlNode node, string what, List<(Template, YamlNode)> templates)
    {
        var text = Text(node, what);
        try
        {
            var template = Template.Parse(text);
            templates.Add((template, node));
            return template;
        }
        catch (FormatException ex)
        {
            throw Error(node.Start, $"{what}: {ex.Message}");
        }
    }

    private void CheckReferences(Template template, YamlNode at, MockRule rule, HashSet<string> called)
    {
        foreach (var expression in template.Expressions)
        {
            if (expression.Root == "match")
            {
                var group = expression.Path[0];
                if (rule.When is null)
                {
                    throw Error(at.Start, $"{{{{{expression.Source}}}}} needs a 'when' pattern, and this rule has none.");
                }

                if (!rule.When.GetGroupNames().Contains(group, StringComparer.Ordinal))
                {
                    throw Error(at.Start, $"{{{{{expression.Source}}}}}: the 'when' pattern has no group '{group}' (it has: {string.Join(", ", rule.When.GetGroupNames())}).");
                }
            }
            else if (expression.Root == "results" && !called.Contains(expression.Path[0]))
            {
                throw Error(at.Start, $"{{{{{expression.Source}}}}}: no step of this rule calls '{expression.Path[0]}'" +
                    (called.Count == 0 ? "." : $" (it calls: {string.Join(", ", called)})."));
            }
        }
    }

    private void CheckReachable(List<MockRule> rules)
    {
        var catchAll = rules.FirstOrDefault(r => r.When is null && r.Occurrence is null);
        if (catchAll is not null && rules[^1] != catchAll)
        {
            var next = rules[rules.IndexOf(catchAll) + 1];
            throw new MockScriptException(scriptName, next.Line, 1,
                $"this rule can never be used: {catchAll.Label} has no 'when', so it takes every message first. Move the catch-all rule last.");
        }
    }

    private Regex Pattern(YamlNode node, bool ignoreCase)
    {
        var pattern = Text(node, "'when'");
        var options = RegexOptions.CultureInvariant | (ignoreCase ? RegexOptions.IgnoreCase : RegexOptions.None);
        try
        {
            return pattern.Length == 0
                ? throw Error(node.Start, "'when' is empty; leave it out for a rule that matches every message.")
                : new Regex(pattern, options, MatchTimeout);
        }
        catch (ArgumentException ex)
        {
            throw Error(node.Start, $"'when' is not a valid regular expression: {ex.Message}");
        }
    }

    private static JsonElement? Typed(string value)
    {
        if (value is "" or "~" or "null" or "Null" or "NULL")
        {
            return JsonSerializer.SerializeToElement<object?>(null);
        }

        if (bool.TryParse(value, out var flag))
        {
            return JsonSerializer.SerializeToElement(flag);
        }

        if (Number().IsMatch(value))
        {
            using var document = JsonDocument.Parse(value);
            return document.RootElement.Clone();
        }

        return null;
    }

    private static bool IsUnquotedTemplate(YamlMappingNode map) =>
        map.Style == YamlDotNet.Core.Events.MappingStyle.Flow && map.Children.Count == 1 && map.Children.Keys.Single() is YamlMappingNode;

    private YamlMappingNode Mapping(YamlNode node, string what) => node is YamlMappingNode map
        ? map
        : throw Error(node.Start, $"{what} must be a map of 'key: value' lines.");

    private YamlSequenceNode Sequence(YamlNode node, string what) => node is YamlSequenceNode list
        ? list
        : throw Error(node.Start, $"{what} must be a list ('- ' items).");

    private string Text(YamlNode node, string what) => node switch
    {
        YamlScalarNode { Value: { } value } => value,
        YamlMappingNode map when IsUnquotedTemplate(map) => throw Error(node.Start, $"{what}: a value starting with '{{{{' must be quoted in YAML: write \"{{{{...}}}}\"."),
        _ => throw Error(node.Start, $"{what} must be text."),
    };

    private bool Boolean(YamlNode node, string what) => bool.TryParse(Text(node, what), out var value)
        ? value
        : throw Error(node.Start, $"{what} must be true or false.");

    private static YamlNode? Optional(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private YamlNode Required(YamlMappingNode map, string key, string what) =>
        Optional(map, key) ?? throw Error(map.Start, $"{what} needs '{key}'.");

    private void CheckKeys(YamlMappingNode map, string[] allowed, string what)
    {
        foreach (var key in map.Children.Keys)
        {
            var name = Text(key, "a key");
            if (!allowed.Contains(name, StringComparer.Ordinal))
            {
                var near = allowed.FirstOrDefault(a => Distance(a, name) <= 2);
                throw Error(key.Start, $"'{name}' is not a key of {what}" + (near is null ? "" : $" (did you mean '{near}'?)") +
                    $"; {what} has: {string.Join(", ", allowed)}.");
            }
        }
    }

    private static int Distance(string a, string b)
    {
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var diagonal = row[0];
            row[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var above = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                diagonal = above;
            }
        }

        return row[b.Length];
    }

    private static int Line(Mark mark) => (int)mark.Line;

    private MockScriptException Error(Mark at, string problem) =>
        new(scriptName, (int)at.Line, (int)at.Column, problem);

    [GeneratedRegex(@"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Number();

    [GeneratedRegex(@"^[A-Za-z0-9_\-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex ToolName();
}
