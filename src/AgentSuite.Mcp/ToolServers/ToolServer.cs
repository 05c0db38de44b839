namespace AgentSuite.Mcp.ToolServers;

/// <summary>
/// One entry of the list of tool servers (<c>ToolServers:NAME</c> in plugins/toolservers.json): a .NET MCP server
/// project under the plugins folder, or any command that serves MCP over stdio.
/// </summary>
/// <param name="Name">The server name governance and the model see: tools are <c>NAME/tool</c>.</param>
/// <param name="Project">The project file, relative to the plugins folder; null for a Command entry.</param>
/// <param name="Command">The program to start over stdio; null for a Project entry.</param>
/// <param name="Arguments">The Command's arguments.</param>
/// <param name="Environment">Environment variables for the Command's process.</param>
/// <param name="HttpPort">The fixed port the AppHost serves an HTTP entry on.</param>
/// <param name="Transport">How the AppHost runs it.</param>
public sealed record ToolServer(
    string Name,
    string? Project,
    string? Command,
    IReadOnlyList<string> Arguments,
    IReadOnlyDictionary<string, string?> Environment,
    int? HttpPort,
    ToolServerTransport Transport)
{
    /// <summary>The configuration key of this entry, for messages that say what to fix.</summary>
    public string Key => $"{ToolServerList.SectionName}:{Name}";
}
