using System.Text.Json;
using Microsoft.Extensions.AI;

namespace AgentSuite.MockModelServer;

/// <summary>Reads <c>tools</c> into function declarations (the mock calls only tools it is offered) and <c>tool_choice</c> into a tool mode.</summary>
internal static class ChatToolReader
{
    // OpenAI lets a function leave out its parameters; that means it takes none.
    private static readonly JsonElement NoParameters = JsonDocument.Parse("""{"type":"object","properties":{}}""").RootElement;

    public static List<AITool>? ReadTools(JsonElement request)
    {
        if (JsonFields.Array(request, "tools", "tools") is not { } tools)
        {
            return null;
        }

        var index = 0;
        return [.. tools.EnumerateArray().Select(tool => Declaration(tool, $"tools[{index++}]"))];
    }

    public static ChatToolMode? ReadToolChoice(JsonElement request)
    {
        const string param = "tool_choice";
        return JsonFields.Get(request, param) switch
        {
            null => null,
            { ValueKind: JsonValueKind.String } mode => mode.GetString() switch
            {
                "none" => ChatToolMode.None,
                "auto" => ChatToolMode.Auto,
                "required" => ChatToolMode.RequireAny,
                var other => throw new InvalidRequestException($"'{param}' is '{other}': use \"none\", \"auto\", \"required\" or {{\"type\":\"function\",\"function\":{{\"name\":...}}}}.", param),
            },
            { ValueKind: JsonValueKind.Object } choice => ChatToolMode.RequireSpecific(FunctionName(choice, param)),
            { } other => throw JsonFields.WrongType(param, "a string or an object", other),
        };
    }

    private static AIFunctionDeclaration Declaration(JsonElement tool, string path)
    {
        if (tool.ValueKind != JsonValueKind.Object)
        {
            throw JsonFields.WrongType(path, "a tool object such as {\"type\":\"function\",\"function\":{...}}", tool);
        }

        var function = Function(tool, path);
        var name = JsonFields.RequiredString(function, "name", path + ".function.name", "the name the model calls the tool by.");
        var description = JsonFields.String(function, "description", path + ".function.description");
        var parameters = JsonFields.Object(function, "parameters", path + ".function.parameters") ?? NoParameters;
        return AIFunctionFactory.CreateDeclaration(name, description, parameters.Clone());
    }

    private static string FunctionName(JsonElement choice, string path) =>
        JsonFields.RequiredString(Function(choice, path), "name", path + ".function.name", "the function the model must call.");

    private static JsonElement Function(JsonElement tool, string path)
    {
        var type = JsonFields.RequiredString(tool, "type", path + ".type", "this server knows \"function\" tools.");
        return type != "function"
            ? throw new InvalidRequestException($"'{path}.type' is '{type}': this server knows only \"function\" tools.", path + ".type")
            : JsonFields.Object(tool, "function", path + ".function")
                ?? throw new InvalidRequestException($"'{path}.function' is required: an object with the function's 'name'.", path + ".function");
    }
}
