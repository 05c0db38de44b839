namespace AgentSuite.Template.Tests.Support;

/// <summary>
/// Packs the working tree's templates, installs the package into a throw-away DOTNET_CLI_HOME, creates Contoso.Desk
/// with the sample and without it, builds both (side by side), runs the no-sample solution's tests, then adds a tool
/// server to it with the agentsuite-plugin item template. Each step runs once for all the tests; everything lives in one
/// temp folder, deleted at the end.
/// </summary>
public sealed class GeneratedSolutions : IAsyncLifetime
{
    public const string Name = "Contoso.Desk";
    private static readonly TimeSpan Short = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(15);

    private readonly string _root = Path.Combine(Path.GetTempPath(), "agentsuite-template-tests", Guid.NewGuid().ToString("N"));

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>The generated solution with the sample desk (the default).</summary>
    public string Full => Path.Combine(_root, "full");

    /// <summary>The generated solution with <c>--sample false</c>.</summary>
    public string Blank => Path.Combine(_root, "blank");

    public IReadOnlyList<string> FullLeftovers { get; private set; } = [];

    public IReadOnlyList<string> BlankLeftovers { get; private set; } = [];

    /// <summary>The no-sample solution's plugins/toolservers.json as generated, before the item template adds to it.</summary>
    public string BlankToolServers { get; private set; } = "";

    public CommandResult FullBuild { get; private set; } = null!;

    public CommandResult BlankBuild { get; private set; } = null!;

    public CommandResult? BlankTest { get; private set; }

    /// <summary>dotnet new agentsuite-plugin -n Shipping in the no-sample solution; null when the template has no item template.</summary>
    public CommandResult? PluginNew { get; private set; }

    public CommandResult? PluginTest { get; private set; }

    public static bool HasPluginTemplate => File.Exists(Path.Combine(RepositoryRoot, "templates", "plugin", ".template.config", "template.json"));

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_root);
        var dotnet = new Dotnet(Path.Combine(_root, "home"));
        var packages = Path.Combine(_root, "packages");

        await Must(dotnet.RunAsync(RepositoryRoot, Long, "pack", Path.Combine("templates", "AgentSuite.Templates.csproj"), "-o", packages, "-nodeReuse:false"));
        await Must(dotnet.RunAsync(_root, Short, "new", "install", Directory.GetFiles(packages, "*.nupkg").Single()));
        await Must(dotnet.RunAsync(_root, Short, "new", "agentsuite", "-n", Name, "-o", Full));
        await Must(dotnet.RunAsync(_root, Short, "new", "agentsuite", "-n", Name, "-o", Blank, "--sample", "false"));
        FullLeftovers = ProductName.Leftovers(Full);
        BlankLeftovers = ProductName.Leftovers(Blank);
        BlankToolServers = File.ReadAllText(Path.Combine(Blank, "plugins", "toolservers.json"));

        var builds = await Task.WhenAll(
            dotnet.RunAsync(Full, Long, "build", Name + ".sln", "-nodeReuse:false"),
            dotnet.RunAsync(Blank, Long, "build", Name + ".sln", "-nodeReuse:false"));
        (FullBuild, BlankBuild) = (builds[0], builds[1]);
        if (!BlankBuild.Succeeded)
        {
            return;
        }

        BlankTest = await dotnet.RunAsync(Blank, Long, "test", Name + ".sln", "--no-build");
        if (HasPluginTemplate)
        {
            PluginNew = await dotnet.RunAsync(Blank, Short, "new", "agentsuite-plugin", "-n", "Shipping");
            if (PluginNew.Succeeded)
            {
                PluginTest = await dotnet.RunAsync(Blank, Long, "test", Path.Combine("tests", "Shipping.McpServer.Tests"), "-nodeReuse:false");
            }
        }
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_root, recursive: true);
        return Task.CompletedTask;
    }

    private static async Task Must(Task<CommandResult> command)
    {
        var result = await command;
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(result.Describe());
        }
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, ".template.config")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No .template.config folder above {AppContext.BaseDirectory}.");
    }
}
