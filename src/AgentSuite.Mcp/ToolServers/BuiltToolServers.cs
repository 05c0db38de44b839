using System.Reflection;

namespace AgentSuite.Mcp.ToolServers;

/// <summary>
/// Where the build put each tool server project's dll. A program that starts them references <c>plugins/*/*.csproj</c>
/// and records each dll as assembly metadata <c>plugin:PROJECT-FILE-NAME</c> (the RecordPluginPaths target).
/// </summary>
public static class BuiltToolServers
{
    public const string MetadataPrefix = "plugin:";

    public static string DllPath(Assembly recordedIn, ToolServer server)
    {
        ArgumentNullException.ThrowIfNull(server.Project);
        var projectFile = Path.GetFileName(server.Project);
        var path = recordedIn.GetCustomAttributes<AssemblyMetadataAttribute>().SingleOrDefault(a => a.Key == MetadataPrefix + projectFile)?.Value;
        if (path is null)
        {
            throw new InvalidOperationException(
                $"{server.Key}:Project is {server.Project}, but {recordedIn.GetName().Name} was not built with it: a tool server project lives in its own folder under plugins/ (plugins/NAME/NAME.csproj); build again after adding it.");
        }

        return File.Exists(path)
            ? path
            : throw new InvalidOperationException($"{server.Key}:Project {server.Project} is not built at {path}: build the solution (dotnet build AgentSuite.sln).");
    }
}
