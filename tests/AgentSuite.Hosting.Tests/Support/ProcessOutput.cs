using System.Diagnostics;
using System.Text;
using AgentSuite.Plugins.Tests.Support;

namespace AgentSuite.Hosting.Tests.Support;

/// <summary>A child process started with redirected output, kept for failure messages, and killed with its children on dispose.</summary>
public sealed class ProcessOutput : IDisposable
{
    private readonly StringBuilder _output = new();

    private ProcessOutput(Process process)
    {
        Process = process;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Kill();
    }

    public Process Process { get; }

    public string Text
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static ProcessOutput Start(ProcessStartInfo start)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.RedirectStandardInput = true;
        start.UseShellExecute = false;
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start.");
        var output = new ProcessOutput(process);
        process.OutputDataReceived += (_, e) => output.Append(e.Data);
        process.ErrorDataReceived += (_, e) => output.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return output;
    }

    /// <summary>Polls <paramref name="health"/> until it answers 200; fails with the process's output if it exits or times out first.</summary>
    public async Task WaitHealthyAsync(Uri health, string what)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < Timeouts.Start)
        {
            if (Process.HasExited)
            {
                throw new InvalidOperationException($"{what} exited with code {Process.ExitCode} before {health} answered. Its output:\n{Text}");
            }

            try
            {
                using var response = await http.GetAsync(health);
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

        throw new TimeoutException($"{what} did not answer {health} within {Timeouts.Start}. Its output:\n{Text}");
    }

    public void Dispose()
    {
        Kill();
        Process.WaitForExit(10_000);
        Process.Dispose();
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

    private void Kill()
    {
        try
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }
}
