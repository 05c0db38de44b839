using System.Globalization;
using System.Text.Json;
using YamlDotNet.RepresentationModel;

namespace AgentSuite.Models;

/// <summary>The keys replays write: arguments as literal JSON, which occurrence of a message a rule answers, and outcomes.</summary>
internal sealed partial class MockScriptReader
{
    /// <summary>The arguments exactly as JSON has them: 49.00 stays 49.00, nothing is a placeholder.</summary>
    private List<KeyValuePair<string, ArgumentTemplate>> ReadArgumentsJson(YamlNode node)
    {
        var text = Text(node, "'arguments_json'");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException ex)
        {
            throw Error(node.Start, $"'arguments_json' is not valid JSON: {ex.Message}");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw Error(node.Start, "'arguments_json' must be one JSON object, e.g. '{\"invoice_id\":\"INV-1002\",\"amount\":49.00}'.");
            }

            var arguments = new List<KeyValuePair<string, ArgumentTemplate>>();
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (arguments.Any(a => a.Key == property.Name))
                {
                    throw Error(node.Start, $"'arguments_json' names '{property.Name}' twice; keep one.");
                }

                arguments.Add(new(property.Name, ArgumentTemplate.Constant(property.Value.Clone())));
            }

            return arguments;
        }
    }

    private int ReadOccurrence(YamlNode node)
    {
        ReplayOnly(node, "occurrence");
        return int.TryParse(Text(node, "'occurrence'"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1
            ? n
            : throw Error(node.Start, "'occurrence' must be a whole number from 1: the rule answers the n-th time the agent is sent this message in a conversation.");
    }

    /// <summary>A map of tool to outcome (<c>ok</c>, <c>denied</c>, <c>failed</c>), or to a list of them when the tool was called more than once.</summary>
    private List<KeyValuePair<string, string>> ReadOutcomes(YamlNode node)
    {
        ReplayOnly(node, "previous_outcomes");
        var outcomes = new List<KeyValuePair<string, string>>();
        foreach (var (key, value) in Mapping(node, "'previous_outcomes'").Children)
        {
            var tool = Text(key, "a tool name");
            foreach (var kind in value is YamlSequenceNode list ? list.Children : [value])
            {
                var outcome = Text(kind, $"the outcome of '{tool}'");
                outcomes.Add(Outcomes.All.Contains(outcome)
                    ? new(tool, outcome)
                    : throw Error(kind.Start, $"'{outcome}' is not an outcome; write {string.Join(", ", Outcomes.All)} (a list of them when '{tool}' was called more than once)."));
            }
        }

        return outcomes;
    }

    private void ReplayOnly(YamlNode node, string key)
    {
        if (!IsReplay)
        {
            throw Error(node.Start, $"'{key}' belongs to replays: it works only in a script with 'replay: true' at the top (a converted recording, docs/mock-model.md).");
        }
    }
}
