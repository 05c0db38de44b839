using AgentSuite.Mcp.ToolServers;
using Microsoft.Extensions.Configuration;

namespace AgentSuite.Mcp.Tests;

/// <summary>The reader of the one list of tool servers: what each entry means, and the message a bad one stops the start with.</summary>
public sealed class ToolServerListTests
{
    [Fact]
    public void AProjectIsServedOverHttpByDefaultAndACommandOverStdioWithItsArgumentsAndEnvironment()
    {
        var servers = Read(new()
        {
            ["ToolServers:billing:Project"] = "Billing.McpServer/Billing.McpServer.csproj",
            ["ToolServers:billing:HttpPort"] = "5101",
            ["ToolServers:policy:Project"] = "Policy.McpServer/Policy.McpServer.csproj",
            ["ToolServers:policy:Transport"] = "STDIO",
            ["ToolServers:files:Command"] = "npx",
            ["ToolServers:files:Arguments:0"] = "-y",
            ["ToolServers:files:Arguments:1"] = "some-mcp-server",
            ["ToolServers:files:Environment:FILES_ROOT"] = "/srv/shared",
        }).ToDictionary(s => s.Name);

        Assert.Equal((ToolServerTransport.Http, 5101, "ToolServers:billing"), (servers["billing"].Transport, servers["billing"].HttpPort, servers["billing"].Key));
        Assert.Equal((ToolServerTransport.Stdio, (int?)null), (servers["policy"].Transport, servers["policy"].HttpPort));
        var files = servers["files"];
        Assert.Equal((ToolServerTransport.Stdio, "npx", (string?)null), (files.Transport, files.Command, files.Project));
        Assert.Equal(["-y", "some-mcp-server"], files.Arguments);
        Assert.Equal("/srv/shared", files.Environment["FILES_ROOT"]);
    }

    [Fact]
    public void AnEmptyValueCountsAsUnsetSoAnOverrideCanTurnAProjectIntoACommand()
    {
        var server = Assert.Single(Read(new()
        {
            ["ToolServers:crm:Project"] = "",
            ["ToolServers:crm:HttpPort"] = "",
            ["ToolServers:crm:Command"] = "crm-server",
        }));

        Assert.Equal(("crm-server", (string?)null, (int?)null), (server.Command, server.Project, server.HttpPort));
    }

    [Fact]
    public void NoSectionIsAnEmptyList()
    {
        Assert.Empty(Read([]));
    }

    [Theory]
    [InlineData("ToolServers:x:HttpPort=5104", "ToolServers:x: set exactly one of Project")]
    [InlineData("ToolServers:x:Project=X/X.csproj;ToolServers:x:Command=npx", "ToolServers:x: set exactly one of Project")]
    [InlineData("ToolServers:x:Project=X/X.csproj", "ToolServers:x:HttpPort is missing")]
    [InlineData("ToolServers:x:Project=X/X.csproj;ToolServers:x:HttpPort=http", "ToolServers:x:HttpPort is 'http': give a port number from 1 to 65535.")]
    [InlineData("ToolServers:x:Project=X/X.csproj;ToolServers:x:HttpPort=70000", "ToolServers:x:HttpPort is '70000'")]
    [InlineData("ToolServers:x:Project=X/X.csproj;ToolServers:x:HttpPort=5104;ToolServers:x:Transport=grpc", "ToolServers:x:Transport is 'grpc': use http")]
    [InlineData("ToolServers:x:Command=npx;ToolServers:x:Transport=http", "ToolServers:x:Transport is http, but a Command is served over stdio only")]
    [InlineData("ToolServers:x:Command=npx;ToolServers:x:Arguments=-y server", "ToolServers:x:Arguments is one string: give a list")]
    [InlineData("ToolServers:x:Project=X/X.csproj;ToolServers:x:HttpPort=5104;ToolServers:x:Arguments:0=--verbose", "ToolServers:x:Arguments: only a Command takes Arguments")]
    [InlineData("ToolServers:2fast:Command=npx", "ToolServers:2fast: a server name is lower-case letters and digits, starting with a letter")]
    [InlineData("ToolServers:Billing:Command=npx", "ToolServers:Billing: a server name is lower-case letters and digits")]
    [InlineData("ToolServers:a--b:Command=npx", "ToolServers:a--b: a server name is")]
    [InlineData("ToolServers:a_-b:Command=npx", "ToolServers:a_-b: a server name is")]
    [InlineData("ToolServers:ab-:Command=npx", "ToolServers:ab-: a server name is")]
    [InlineData("ToolServers:a.b:Command=npx", "ToolServers:a.b: a server name is")]
    [InlineData("ToolServers:a23456789012345678901234567890123:Command=npx", "at most 32 characters")]
    public void ABadEntryIsRefusedWithAMessageNamingItsKey(string settings, string message)
    {
        var values = settings.Split(';').Select(s => s.Split('=', 2)).ToDictionary(p => p[0], string? (p) => p[1]);

        var refused = Assert.Throws<InvalidOperationException>(() => Read(values));

        Assert.StartsWith("The list of tool servers (ToolServers, plugins/toolservers.json) has a bad entry: ", refused.Message, StringComparison.Ordinal);
        Assert.Contains(message, refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("billing")]
    [InlineData("order-history")]
    [InlineData("order_history")]
    [InlineData("crm2")]
    public void LowerCaseNamesWithSingleHyphensOrUnderscoresAreServerNames(string name)
    {
        Assert.Equal(name, Assert.Single(Read(new() { [$"ToolServers:{name}:Command"] = "npx" })).Name);
    }

    [Fact]
    public void TwoServersOnOnePortAreFineInTheListSinceOnlyTheAppHostListensOnThem()
    {
        // The Api runs both over stdio; the AppHost, where they would listen, refuses the pair (AppHost.Tests).
        var servers = Read(new()
        {
            ["ToolServers:a:Project"] = "A/A.csproj",
            ["ToolServers:a:HttpPort"] = "5110",
            ["ToolServers:b:Project"] = "B/B.csproj",
            ["ToolServers:b:HttpPort"] = "5110",
        });

        Assert.Equal(2, servers.Count);
    }

    [Fact]
    public void AnUnreadableFileIsRefusedWithItsPathAndTheParsersMessage()
    {
        var parser = new FormatException("Could not parse the JSON file.", new InvalidOperationException("'}' is invalid after a property name. LineNumber: 2 | BytePositionInLine: 14."));

        var refused = ToolServerList.Unreadable("/app/toolservers.json", new InvalidDataException("Failed to load configuration from file '/app/toolservers.json'.", parser));

        Assert.Equal(
            "The list of tool servers, /app/toolservers.json, could not be read: '}' is invalid after a property name. LineNumber: 2 | BytePositionInLine: 14. Fix the file (docs/tool-servers.md).",
            refused.Message);
    }

    private static IReadOnlyList<ToolServer> Read(Dictionary<string, string?> settings) =>
        ToolServerList.Read(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
}
