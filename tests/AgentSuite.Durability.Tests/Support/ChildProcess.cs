using System.Diagnostics;
using System.Text;

namespace AgentSuite.Durability.Tests.Support;

/// <summary>
/// A program of this build run as <c>dotnet program.dll</c> with its output kept for failure messages. Dispose, or a
/// test run that ends, kills it and every process under it.
/// </summary>
public sealed class ChildProcess : IDisposable
{
    /// <summary>The variables that say where ASP.NET Core listens; the test runner's own must not decide it.</summary>
    private static readonly string[] AddressVariables =
    [
        "ASPNETCORE_URLS", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS", "DOTNET_URLS", "DOTNET_HTTP_PORTS", "DOTNET_HTTPS_PORTS", "URLS", "HTTP_PORTS", "HTTPS_PORTS",
    ];

    private readonly StringBuilder _output = new();
    private readonly Process _process;
    private readonly string _name;

    private ChildProcess(Process process, string name)
    {
        _process = process;
        _name = name;
        AppDomain.CurrentDomain.ProcessExit += OnTestRunExit;
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts <c>dotnet <paramref name="dll"/> <paramref name="arguments"/></c> in <paramref name="workingDirectory"/> with <paramref name="variables"/>.</summary>
    public static ChildProcess Start(string name, string dll, string workingDirectory, IReadOnlyDictionary<string, string?> variables, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var inherited in start.Environment.Keys.Where(k => AddressVariables.Contains(k, StringComparer.OrdinalIgnoreCase) || k.StartsWith("Kestrel__", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(inherited);
        }

        foreach (var (key, value) in variables)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"dotnet did not start {name}.");
        var child = new ChildProcess(process, name);
        process.OutputDataReceived += (_, e) => child.Append(e.Data);
        process.ErrorDataReceived += (_, e) => child.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Polls <paramref name="url"/> until it answers 200; fails with the output if the process exits or time runs out first.</summary>
    public async Task WaitAnswersAsync(Uri url)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Waits.Step)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{_name} exited with code {_process.ExitCode} before {url} answered. Its output:\n{Output}");
            }

            try
            {
                using var response = await http.GetAsync(url);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{_name} did not answer {url} within {Waits.Step}. Its output:\n{Output}");
    }

    /// <summary>
    /// SIGKILLs this process and every descendant (<see cref="ProcessTree.KillHard"/>) and waits until none runs; returns
    /// how many processes were killed.
    /// </summary>
    public int KillHard()
    {
        var killed = ProcessTree.KillHard(_process.Id);
        if (!_process.WaitForExit(Waits.Exit))
        {
            throw new TimeoutException($"{_name} (pid {_process.Id}) still runs {Waits.Exit} after SIGKILL.");
        }

        var clock = Stopwatch.StartNew();
        while (killed.Any(ProcessTree.IsRunning))
        {
            if (clock.Elapsed > Waits.Exit)
            {
                throw new TimeoutException($"Processes {string.Join(", ", killed.Where(ProcessTree.IsRunning))} under {_name} still run {Waits.Exit} after SIGKILL.");
            }

            Thread.Sleep(50);
        }

        return killed.Count;
    }

    public void Dispose()
    {
        AppDomain.CurrentDomain.ProcessExit -= OnTestRunExit;
        try
        {
            if (!_process.HasExited)
            {
                KillHard();
            }
        }
        finally
        {
            _process.Dispose();
        }
    }

    private void OnTestRunExit(object? sender, EventArgs e)
    {
        if (!_process.HasExited)
        {
            ProcessTree.KillHard(_process.Id);
        }
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}
