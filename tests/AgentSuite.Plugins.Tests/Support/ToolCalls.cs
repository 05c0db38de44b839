using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace AgentSuite.Plugins.Tests.Support;

/// <summary>Calls a tool the way a model would and reads the answer as the model reads it.</summary>
public static class ToolCalls
{
    public static async Task<CallToolResult> CallAsync(this McpClient client, string tool, params (string Name, object? Value)[] arguments) =>
        await client.CallToolAsync(tool, arguments.ToDictionary(a => a.Name, a => a.Value), cancellationToken: Timeouts.CallToken());

    /// <summary>The JSON a successful call returned; fails the test with the error text if the call failed.</summary>
    public static JsonElement Json(this CallToolResult result)
    {
        Assert.True(result.IsError is not true, $"The tool failed: {Text(result)}");
        using var document = JsonDocument.Parse(Text(result));
        return document.RootElement.Clone();
    }

    /// <summary>The message of a failed call; fails the test if the call succeeded.</summary>
    public static string Error(this CallToolResult result)
    {
        Assert.True(result.IsError is true, $"The tool should have failed but returned: {Text(result)}");
        return Text(result);
    }

    public static string Text(CallToolResult result) =>
        string.Concat(result.Content.OfType<TextContentBlock>().Select(t => t.Text));

    public static decimal Amount(this JsonElement element, string property) => element.GetProperty(property).GetDecimal();

    public static string Text(this JsonElement element, string property) => element.GetProperty(property).GetString()!;
}
