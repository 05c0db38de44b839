using System.Buffers;
using System.Text.Json;

namespace AgentSuite.Models;

/// <summary>
/// One argument value as the script wrote it: a fixed value (number, true/false, null), text with placeholders, or a
/// map or list of those. Evaluated to the JSON a real provider's parsed arguments hold.
/// </summary>
internal sealed class ArgumentTemplate
{
    private readonly JsonElement? _constant;
    private readonly Template? _text;
    private readonly IReadOnlyList<KeyValuePair<string, ArgumentTemplate>>? _map;
    private readonly IReadOnlyList<ArgumentTemplate>? _list;

    private ArgumentTemplate(JsonElement? constant, Template? text, IReadOnlyList<KeyValuePair<string, ArgumentTemplate>>? map, IReadOnlyList<ArgumentTemplate>? list)
    {
        _constant = constant;
        _text = text;
        _map = map;
        _list = list;
    }

    public static ArgumentTemplate Constant(JsonElement value) => new(value, null, null, null);

    public static ArgumentTemplate Text(Template text) => new(null, text, null, null);

    public static ArgumentTemplate Map(IReadOnlyList<KeyValuePair<string, ArgumentTemplate>> map) => new(null, null, map, null);

    public static ArgumentTemplate List(IReadOnlyList<ArgumentTemplate> list) => new(null, null, null, list);

    public IEnumerable<Template> Templates =>
        _text is not null ? [_text]
        : _map is not null ? _map.SelectMany(p => p.Value.Templates)
        : _list?.SelectMany(a => a.Templates) ?? [];

    public JsonElement Evaluate(TemplateScope scope)
    {
        if (_constant is { } constant)
        {
            return constant;
        }

        if (_text is not null)
        {
            return _text.Evaluate(scope);
        }

        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, scope);
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    private void Write(Utf8JsonWriter writer, TemplateScope scope)
    {
        if (_map is not null)
        {
            writer.WriteStartObject();
            foreach (var (name, value) in _map)
            {
                writer.WritePropertyName(name);
                value.Write(writer, scope);
            }

            writer.WriteEndObject();
        }
        else if (_list is not null)
        {
            writer.WriteStartArray();
            foreach (var item in _list)
            {
                item.Write(writer, scope);
            }

            writer.WriteEndArray();
        }
        else
        {
            Evaluate(scope).WriteTo(writer);
        }
    }
}
