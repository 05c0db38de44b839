// The app people run: dotnet run --project src/AgentSuite.Api
// With nothing configured it runs on the embedded defaults: the mock model, SQLite under ./data, the tool servers of
// plugins/toolservers.json started over stdio, and local demo mode (no API keys; callers name themselves with X-User).
// With --mcp-stdio it serves its agents over stdin/stdout to the program that launched it (docs/agents-over-mcp.md).
using AgentSuite.Api;
using Microsoft.Extensions.Options;

WebApplication app;
try
{
    app = ApiApplication.Build(args);
}
catch (InvalidOperationException e)
{
    // A setting the Api refuses: one message that names the key, on stderr (stdout may be an MCP client's pipe).
    await Console.Error.WriteLineAsync($"AgentSuite.Api did not start: {e.Message}");
    return 2;
}

try
{
    await app.RunAsync();
}
catch (OptionsValidationException e)
{
    await Console.Error.WriteLineAsync($"AgentSuite.Api did not start: {string.Join(Environment.NewLine, e.Failures)}");
    return 2;
}

return 0;
