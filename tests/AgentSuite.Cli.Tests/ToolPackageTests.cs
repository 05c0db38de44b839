using System.Reflection;
using System.Runtime.InteropServices;
using AgentSuite.Api.Tests.Support;
using AgentSuite.Cli.Tests.Support;
using AgentSuite.Plugins.Tests.Support;

namespace AgentSuite.Cli.Tests;

/// <summary>
/// The CLI as a .NET tool, as a person gets it: <c>dotnet pack</c> of the project, <c>dotnet tool install</c> from that
/// folder alone (a throw-away CLI home and a nuget.config with no other source, so nothing is fetched), then the
/// installed <c>agentsuite</c> command, against a real Api too.
/// </summary>
public sealed class ToolPackageTests
{
    private const string PackageId = "AgentSuite.Cli";
    private const string Command = "agentsuite";
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task ThePackedToolInstallsFromItsFolderAndRunsAsItsCommand()
    {
        var root = Path.Combine(Path.GetTempPath(), "agentsuite-cli-tool", Guid.NewGuid().ToString("N"));
        var packages = Path.Combine(root, "packages");
        var tools = Path.Combine(root, "tools");
        Directory.CreateDirectory(root);
        try
        {
            // --no-build: the test project built it already; packing is then a copy, not a second build.
            var project = Path.Combine(ApiServer.RepositoryRoot, "src", "AgentSuite.Cli", "AgentSuite.Cli.csproj");
            var pack = await CommandRun.RunAsync("dotnet", ["pack", project, "-c", BuildConfiguration(), "--no-build", "-o", packages], root, Timeout, Environment(root));
            Assert.True(pack.ExitCode == 0, pack.ToString());
            Assert.Single(Directory.GetFiles(packages, $"{PackageId}.*.nupkg"));

            var config = Path.Combine(root, "nuget.config");
            await File.WriteAllTextAsync(config, $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <clear />
                    <add key="local" value="{packages}" />
                  </packageSources>
                </configuration>
                """);
            var install = await CommandRun.RunAsync("dotnet", ["tool", "install", PackageId, "--tool-path", tools, "--configfile", config], root, Timeout, Environment(root));
            Assert.True(install.ExitCode == 0, install.ToString());

            var installed = Path.Combine(tools, OperatingSystem.IsWindows() ? Command + ".exe" : Command);
            var version = await CommandRun.RunAsync(installed, ["--version"], root, Timeout, Environment(root));
            Assert.True(version.ExitCode == 0, version.ToString());
            Assert.Equal(typeof(CliApplication).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion, version.Output.Trim());

            var help = await CommandRun.RunAsync(installed, ["--help"], root, Timeout, Environment(root));
            Assert.True(help.ExitCode == 0, help.ToString());
            Assert.Contains($"{Command} [command] [options]", help.Output, StringComparison.Ordinal);
            Assert.Contains("--json", help.Output, StringComparison.Ordinal);

            await using var api = await ApiServer.StartAsync();
            var whoami = await CommandRun.RunAsync(installed, ["--url", api.BaseAddress.ToString(), "--user", "bob", "--json", "whoami"], root, Timeout, Environment(root));
            Assert.True(whoami.ExitCode == 0, whoami.ToString());
            Assert.Equal("bob", JsonText.Document(whoami.Output).Text("name"));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static string BuildConfiguration() =>
        typeof(ToolPackageTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "Configuration").Value!;

    /// <summary>A CLI home of the test's own (first-run files, NuGet's caches), and the runtime this test runs on for the tool's launcher.</summary>
    private static Dictionary<string, string?> Environment(string root) => new()
    {
        ["DOTNET_CLI_HOME"] = Path.Combine(root, "home"),
        ["NUGET_PACKAGES"] = Path.Combine(root, "home", "packages"),
        ["DOTNET_NOLOGO"] = "1",
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
        ["DOTNET_ROOT"] = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", "..")),
    };
}
