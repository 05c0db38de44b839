using System.Reflection;
using System.Text.Json;

namespace AgentSuite.Plugins.Tests.Support;

/// <summary>
/// The official TypeScript MCP client (<c>@modelcontextprotocol/sdk</c>, pinned by TypeScriptClient/package-lock.json),
/// run as <c>node client.mjs SPEC</c> (or another script of the test project's TypeScriptClient folder). Before the first test it runs <c>npm ci</c> in that folder unless the locked
/// packages are already installed there, so <c>dotnet test</c> needs only Node.js 18+ and npm on PATH.
/// </summary>
public sealed class TypeScriptClient : IAsyncLifetime
{
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(5);

    /// <summary>The folder with client.mjs, package.json and package-lock.json (recorded by the test project at build time).</summary>
    public static string Folder { get; } = typeof(TypeScriptClient).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "typescript-client").Value!;

    public async Task InitializeAsync()
    {
        if (Installed())
        {
            return;
        }

        CommandRun install;
        try
        {
            install = await CommandRun.RunAsync("npm", ["ci"], Folder, InstallTimeout);
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidOperationException($"{e.Message} The TypeScript client tests need Node.js 18+ and npm (Debian: apt-get install nodejs npm).", e);
        }

        if (install.ExitCode != 0 || !Installed())
        {
            throw new InvalidOperationException(
                $"'npm ci' in {Folder} failed with exit code {install.ExitCode}; the TypeScript client tests need it. Its output:\n{install.Output}\n{install.Error}");
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>
    /// Connects as <paramref name="spec"/> says (<c>transport</c> stdio with <c>command</c>/<c>args</c>, or http with <c>url</c>),
    /// lists the tools, makes the one <c>call</c>, and returns the script's report: server, sessionId, tools (name,
    /// annotations) and call (isError, text).
    /// </summary>
    public static Task<JsonElement> RunAsync(object spec) => RunScriptAsync("client.mjs", JsonSerializer.Serialize(spec));

    /// <summary>Runs <c>node SCRIPT ARGUMENTS</c> in <see cref="Folder"/> and returns the one JSON line it prints.</summary>
    public static async Task<JsonElement> RunScriptAsync(string script, params string[] arguments)
    {
        var run = await CommandRun.RunAsync("node", [script, .. arguments], Folder, Timeouts.Start);
        Assert.True(run.ExitCode == 0, $"The TypeScript client exited with code {run.ExitCode}. Its stderr:\n{run.Error}");
        using var report = JsonDocument.Parse(run.Output);
        return report.RootElement.Clone();
    }

    // npm ci writes node_modules/.package-lock.json last; older than package-lock.json means the lock has moved on since.
    private static bool Installed()
    {
        var installed = new FileInfo(Path.Combine(Folder, "node_modules", ".package-lock.json"));
        return installed.Exists && installed.LastWriteTimeUtc >= File.GetLastWriteTimeUtc(Path.Combine(Folder, "package-lock.json"));
    }
}
