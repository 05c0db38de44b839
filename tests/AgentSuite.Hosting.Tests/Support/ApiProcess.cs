using System.Diagnostics;
using System.Text.RegularExpressions;
using AgentSuite.Api;
using AgentSuite.Api.Tests.Support;
using AgentSuite.Plugins.Tests.Support;

namespace AgentSuite.Hosting.Tests.Support;

/// <summary>
/// The Api as its own process, started as Aspire starts a project resource and as a person runs its build: the built
/// dll with no launch profile, the project folder as the working directory, and the environment variables given.
/// </summary>
public sealed class ApiProcess : IDisposable
{
    /// <summary>The variables that say where ASP.NET Core listens; the runner's own must not decide where the Api listens.</summary>
    private static readonly HashSet<string> AddressVariables = new(StringComparer.OrdinalIgnoreCase)
    {
        "ASPNETCORE_URLS", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS",
        "DOTNET_URLS", "DOTNET_HTTP_PORTS", "DOTNET_HTTPS_PORTS",
        "URLS", "HTTP_PORTS", "HTTPS_PORTS",
    };

    private readonly ProcessOutput _process;

    private ApiProcess(ProcessOutput process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public string Output => _process.Text;

    /// <summary>
    /// Starts the Api as <c>dotnet AgentSuite.Api.dll [arguments]</c> (no launch profile) with <paramref name="variables"/>
    /// and none of the address settings of this process's own environment, and waits until it answers at
    /// <paramref name="baseAddress"/>: the variables and arguments must have told it to listen there.
    /// </summary>
    public static async Task<ApiProcess> StartListeningAsync(Uri baseAddress, IReadOnlyDictionary<string, string?> variables, IReadOnlyList<string>? arguments = null)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = Path.Combine(ApiServer.RepositoryRoot, "src", "AgentSuite.Api") };
        start.ArgumentList.Add(typeof(ApiApplication).Assembly.Location);
        foreach (var argument in arguments ?? [])
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var inherited in start.Environment.Keys.Where(IsAddressVariable).ToList())
        {
            start.Environment.Remove(inherited);
        }

        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (name, value) in variables)
        {
            start.Environment[name] = value;
        }

        var api = new ApiProcess(ProcessOutput.Start(start), baseAddress);
        try
        {
            await api._process.WaitHealthyAsync(new Uri(baseAddress, "/alive"), "The Api");
            return api;
        }
        catch
        {
            api.Dispose();
            throw;
        }
    }

    /// <summary>Waits until the Api's output matches <paramref name="pattern"/>; fails with the output if it does not within the start timeout.</summary>
    public async Task WaitForOutputAsync(Regex pattern)
    {
        var deadline = Stopwatch.StartNew();
        while (!pattern.IsMatch(Output))
        {
            if (deadline.Elapsed > Timeouts.Start)
            {
                throw new TimeoutException($"The Api did not print a line matching '{pattern}' within {Timeouts.Start}. Its output:\n{Output}");
            }

            await Task.Delay(100);
        }
    }

    public HttpClient Client(string user = "alice")
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(120) };
        client.DefaultRequestHeaders.Add("X-User", user);
        return client;
    }

    public void Dispose() => _process.Dispose();

    private static bool IsAddressVariable(string name) =>
        AddressVariables.Contains(name) || name.StartsWith("Kestrel__", StringComparison.OrdinalIgnoreCase);
}
