using System.Globalization;
using System.Text.Json;
using Json.Pointer;
using Json.Schema;

namespace AgentSuite.Governance.Policy;

/// <summary>
/// Turns JsonSchema.Net's hierarchical results into denial reasons, each naming the field and the rule. Valid branches
/// are skipped, so the conditions of <c>if</c>, the items <c>contains</c> tried and the alternatives of a matched
/// <c>anyOf</c> are not reported as failures. Each result's schema is found by walking the schema alongside the
/// results (JsonSchema.Net 8.0.5 reports wrong schema locations below <c>items</c>).
/// </summary>
internal sealed class SchemaDenialReasons(JsonElement arguments, SchemaRegistry registry, int maxReasons)
{
    // Keywords whose failure is explained by the results of their subschemas.
    private static readonly HashSet<string> Applicators = new(StringComparer.Ordinal)
    {
        "properties", "patternProperties", "additionalProperties", "unevaluatedProperties", "propertyNames",
        "items", "prefixItems", "additionalItems", "unevaluatedItems", "allOf", "anyOf", "oneOf", "not",
        "if", "then", "else", "$ref", "dependentSchemas", "contentSchema",
    };

    private readonly List<string> _reasons = [];

    public static IReadOnlyList<string> Describe(EvaluationResults results, JsonElement schema, JsonElement arguments, SchemaRegistry registry, int maxReasons)
    {
        var reasons = new SchemaDenialReasons(arguments, registry, maxReasons);
        reasons.Collect(results, new Place(schema, null, default, []));
        if (reasons._reasons.Count == 0)
        {
            reasons._reasons.Add("$: the arguments do not match the schema");
        }

        return reasons._reasons;
    }

    private void Collect(EvaluationResults node, Place place)
    {
        if (node.IsValid || _reasons.Count >= maxReasons)
        {
            return;
        }

        var location = place.Fix(ShownValue.Segments(node.InstanceLocation));
        var path = ShownValue.Path(location, arguments);
        var value = ShownValue.At(location, arguments);
        var depth = node.EvaluationPath.SegmentCount;
        var groups = (node.Details ?? []).GroupBy(child => Segment(child.EvaluationPath, depth)).ToList();
        if (node.Errors is { Count: > 0 } errors)
        {
            var containsMatches = groups.Where(g => g.Key == "contains").SelectMany(g => g).Count(c => c.IsValid);
            foreach (var keyword in errors.Keys)
            {
                if (keyword.Length == 0)
                {
                    Add(FalseSchema(path, place));
                }
                else if (!Applicators.Contains(keyword))
                {
                    foreach (var reason in KeywordReasons.For(keyword, path, value, place.Schema, containsMatches))
                    {
                        Add(reason);
                    }
                }
            }
        }

        foreach (var group in groups)
        {
            switch (group.Key)
            {
                case "if" or "contains":
                    break;
                case "not":
                    if (group.All(c => c.IsValid))
                    {
                        Add($"{path}: must not match the schema under 'not'");
                    }

                    break;
                case "anyOf":
                    if (group.All(c => !c.IsValid))
                    {
                        Add(NoAlternative(path, "anyOf", group, place, depth));
                    }

                    break;
                case "oneOf":
                    var matched = group.Where(c => c.IsValid).Select(c => Index(c.EvaluationPath, depth + 1) + 1).ToList();
                    if (matched.Count == 0)
                    {
                        Add(NoAlternative(path, "oneOf", group, place, depth));
                    }
                    else if (matched.Count > 1)
                    {
                        Add($"{path}: matches oneOf alternatives {string.Join(" and ", matched)}, but oneOf allows exactly one");
                    }

                    break;
                case "propertyNames":
                    foreach (var name in group.Where(c => !c.IsValid))
                    {
                        Add($"{ShownValue.Path(place.Fix(ShownValue.Segments(name.InstanceLocation)), arguments)}: the property name is not allowed by propertyNames");
                    }

                    break;
                default:
                    foreach (var child in group)
                    {
                        Collect(child, ChildPlace(place, group.Key, child, depth, location.Count));
                    }

                    break;
            }
        }
    }

    // Where a child result sits: its schema, found from the parent's, and how to correct its instance location.
    private Place ChildPlace(Place parent, string keyword, EvaluationResults child, int depth, int level)
    {
        var rule = parent.Schema.ValueKind == JsonValueKind.Object && parent.Schema.TryGetProperty(keyword, out var found) ? found : default;
        var fixes = parent.Fixes;
        JsonElement schema;
        switch (keyword)
        {
            case "$ref" or "$dynamicRef" or "$recursiveRef":
                schema = SchemaAt(child.SchemaLocation);
                break;
            case "properties" or "patternProperties" or "dependentSchemas" or "dependencies":
                var name = keyword == "properties" ? ShownValue.Segments(child.InstanceLocation).LastOrDefault() : Segment(child.EvaluationPath, depth + 1);
                schema = rule.ValueKind == JsonValueKind.Object && name is not null && rule.TryGetProperty(name, out var named) ? named : default;
                break;
            case "allOf" or "anyOf" or "oneOf" or "prefixItems":
                schema = Item(rule, Index(child.EvaluationPath, depth + 1));
                break;
            case "items" when rule.ValueKind == JsonValueKind.Array:
                schema = Item(rule, Index(child.EvaluationPath, depth + 1));
                break;
            case "items":
                schema = rule;
                // JsonSchema.Net 8.0.5 numbers the items after prefixItems from 0; the real index is that plus their count.
                if (parent.Schema.TryGetProperty("prefixItems", out var prefix) && prefix.ValueKind == JsonValueKind.Array)
                {
                    fixes = [.. fixes, (level, prefix.GetArrayLength())];
                }

                break;
            default:
                schema = rule;
                break;
        }

        return new Place(schema, keyword, parent.Schema, fixes);
    }

    private string FalseSchema(string path, Place place) => place.AppliedBy switch
    {
        "additionalProperties" or "unevaluatedProperties" =>
            $"{path}: the property is not allowed ({place.AppliedBy} is false{Allowed(place.ParentSchema)})",
        "items" or "additionalItems" or "unevaluatedItems" or "prefixItems" =>
            $"{path}: no item is allowed at this position ({place.AppliedBy} is false)",
        _ => $"{path}: no value is allowed here (the schema is false)",
    };

    private static string Allowed(JsonElement schema) =>
        schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("properties", out var properties)
            && properties.ValueKind == JsonValueKind.Object && properties.EnumerateObject().Any()
            ? $"; allowed: {string.Join(", ", properties.EnumerateObject().Take(20).Select(p => ShownValue.Shorten(p.Name)))}"
            : "";

    private string NoAlternative(string path, string keyword, IEnumerable<EvaluationResults> alternatives, Place place, int depth)
    {
        var first = alternatives.Take(3).Select(alternative =>
        {
            var inner = new SchemaDenialReasons(arguments, registry, 1);
            inner.Collect(alternative, inner.ChildPlace(place, keyword, alternative, depth, 0));
            return inner._reasons.FirstOrDefault() ?? "no details";
        });
        return $"{path}: does not match any of the {keyword} alternatives ({string.Join("; ", first)})";
    }

    private void Add(string reason)
    {
        if (_reasons.Count < maxReasons)
        {
            _reasons.Add(reason);
        }
    }

    private static string Segment(JsonPointer pointer, int index) =>
        pointer.SegmentCount > index ? pointer[index].ToString().Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal) : "";

    private static int Index(JsonPointer pointer, int index) =>
        int.TryParse(Segment(pointer, index), NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : -1;

    private static JsonElement Item(JsonElement array, int index) =>
        array.ValueKind == JsonValueKind.Array && index >= 0 && index < array.GetArrayLength() ? array[index] : default;

    private JsonElement SchemaAt(Uri location)
    {
        if (registry.Get(location) is not JsonSchema document)
        {
            return default;
        }

        var fragment = Uri.UnescapeDataString(location.Fragment.TrimStart('#'));
        return fragment.Length == 0 ? document.Root.Source
            : JsonPointer.TryParse(fragment, out var pointer) ? pointer.Evaluate(document.Root.Source) ?? default : default;
    }

    /// <summary>A result's schema, the keyword that applied it, its parent's schema, and instance index corrections.</summary>
    private sealed record Place(JsonElement Schema, string? AppliedBy, JsonElement ParentSchema, (int Level, int Offset)[] Fixes)
    {
        public List<string> Fix(List<string> segments)
        {
            foreach (var (level, offset) in Fixes)
            {
                if (level < segments.Count && int.TryParse(segments[level], NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                {
                    segments[level] = (index + offset).ToString(CultureInfo.InvariantCulture);
                }
            }

            return segments;
        }
    }
}
