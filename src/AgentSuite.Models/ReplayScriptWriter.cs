using System.Globalization;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace AgentSuite.Models;

/// <summary>
/// Writes recorded turns as a strict mock script: exact patterns, literal JSON arguments, replies with their
/// <c>{{</c> escaped so nothing a model wrote is read as a placeholder, and the outcomes each step came after.
/// </summary>
internal static class ReplayScriptWriter
{
    public static string Write(string recordingName, IReadOnlyList<RecordedTurn> turns, IReadOnlyList<int> skipped)
    {
        var agents = new YamlMappingNode();
        foreach (var agentTurns in turns.GroupBy(t => t.Agent, StringComparer.Ordinal))
        {
            var rules = new YamlSequenceNode();
            var times = agentTurns.CountBy(t => t.User, StringComparer.Ordinal).ToDictionary(StringComparer.Ordinal);
            var seen = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var (turn, index) in agentTurns.Select((t, i) => (t, i + 1)))
            {
                var rule = new YamlMappingNode
                {
                    { "name", $"turn {index} (recording line {turn.Exchanges[0].Line.ToString(CultureInfo.InvariantCulture)})" },
                    { "when", Scalar(ExactPattern.For(turn.User), ScalarStyle.SingleQuoted) },
                    { "ignore_case", "false" },
                };
                if (times[turn.User] > 1)
                {
                    seen[turn.User] = seen.GetValueOrDefault(turn.User) + 1;
                    rule.Add("occurrence", seen[turn.User].ToString(CultureInfo.InvariantCulture));
                }

                rule.Add("steps", new YamlSequenceNode(turn.Exchanges.Select((e, k) => (YamlNode)Step(e, k))));
                rules.Add(rule);
            }

            agents.Add(Scalar(agentTurns.Key, agentTurns.Key == MockScript.AnyAgent ? ScalarStyle.DoubleQuoted : ScalarStyle.Any), rules);
        }

        var header = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"# The replay of the recording {recordingName}: each rule is one turn of an agent as the recorded model answered it.")
            .AppendLine("# Strict: anything the recording does not have throws ReplayDivergenceException. Written by RecordingConverter;")
            .AppendLine("# edit it as any mock script (docs/mock-model.md, \"Record and replay\").");
        if (skipped.Count > 0)
        {
            header.AppendLine(CultureInfo.InvariantCulture, $"# Not replayed: recording line(s) {string.Join(", ", skipped)} (no user message to answer).");
        }

        using var writer = new StringWriter(header, CultureInfo.InvariantCulture);
        new YamlStream(new YamlDocument(new YamlMappingNode { { "replay", "true" }, { "agents", agents } }))
            .Save(new Emitter(writer, 2, int.MaxValue), assignAnchors: false);

        // The emitter closes the document with '...'; a script file has one document and needs no end marker.
        var yaml = writer.ToString().TrimEnd();
        return (yaml.EndsWith("\n...", StringComparison.Ordinal) ? yaml[..^4] : yaml) + "\n";
    }

    private static YamlMappingNode Step(RecordedExchange exchange, int index)
    {
        var step = new YamlMappingNode();
        if (index > 0 && exchange.PreviousOutcomes.Count > 0)
        {
            var outcomes = new YamlMappingNode { Style = YamlDotNet.Core.Events.MappingStyle.Flow };
            foreach (var tool in exchange.PreviousOutcomes.GroupBy(o => o.Key, StringComparer.Ordinal))
            {
                outcomes.Add(tool.Key, tool.Count() == 1
                    ? new YamlScalarNode(tool.Single().Value)
                    : new YamlSequenceNode(tool.Select(o => new YamlScalarNode(o.Value))) { Style = YamlDotNet.Core.Events.SequenceStyle.Flow });
            }

            step.Add("previous_outcomes", outcomes);
        }

        if (exchange.Calls.Count == 0)
        {
            step.Add("reply", Literal(exchange.Text));
            return step;
        }

        if (exchange.Calls is [var call])
        {
            step.Add("call", call.Name);
            step.Add("arguments_json", Scalar(call.Arguments, ScalarStyle.SingleQuoted));
        }
        else
        {
            step.Add("calls", new YamlSequenceNode(exchange.Calls.Select(c => (YamlNode)new YamlMappingNode
            {
                { "call", c.Name },
                { "arguments_json", Scalar(c.Arguments, ScalarStyle.SingleQuoted) },
            })));
        }

        if (exchange.Text.Length > 0)
        {
            step.Add("with_text", Literal(exchange.Text));
        }

        // The recorded model called a tool it was not offered; replaying that call is part of replaying the model.
        if (exchange.Calls.Any(c => !exchange.Offered.Contains(c.Name)))
        {
            step.Add("even_if_not_offered", "true");
        }

        return step;
    }

    /// <summary>The text as a template that renders to exactly itself: every <c>{{</c> is the literal placeholder <c>{{"{{"}}</c>.</summary>
    private static YamlScalarNode Literal(string text) =>
        Scalar(text.Replace("{{", "{{\"{{\"}}", StringComparison.Ordinal), ScalarStyle.DoubleQuoted);

    private static YamlScalarNode Scalar(string value, ScalarStyle style) => new(value) { Style = style };
}
