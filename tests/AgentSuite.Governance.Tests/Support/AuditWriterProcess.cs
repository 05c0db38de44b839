using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace AgentSuite.Governance.Tests.Support;

/// <summary>
/// A second process on a governance database: <c>dotnet AgentSuite.AuditWriter.dll &lt;file&gt; &lt;writer&gt; &lt;count&gt;</c>. It
/// opens the file, says "ready", waits for a line on stdin, appends, says "done" and exits; disposing kills it if it is
/// still running.
/// </summary>
public sealed class AuditWriterProcess : IDisposable
{
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(2);

    private readonly Process _process;
    private readonly string _writer;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private AuditWriterProcess(Process process, string writer)
    {
        _process = process;
        _writer = writer;
        _process.OutputDataReceived += (_, e) => Received(e.Data);
        _process.ErrorDataReceived += (_, e) => Received(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public static AuditWriterProcess Start(string databasePath, string writer, int count)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { DllPath(), databasePath, writer, count.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        return new AuditWriterProcess(Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start the audit writer."), writer);
    }

    /// <summary>Waits until the process has opened the database and is ready to append.</summary>
    public async Task WaitReadyAsync()
    {
        using var timeout = new CancellationTokenSource(Generous);
        await _ready.Task.WaitAsync(timeout.Token);
    }

    /// <summary>Lets it start appending.</summary>
    public void Go()
    {
        _process.StandardInput.WriteLine("go");
        _process.StandardInput.Flush();
    }

    /// <summary>Waits for it to finish; fails with its output if it failed or has not finished in a generous time.</summary>
    public async Task WaitForSuccessAsync()
    {
        using var timeout = new CancellationTokenSource(Generous);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"Audit writer '{_writer}' had not finished after {Generous}. Its output:\n{Output}");
        }

        if (_process.ExitCode != 0)
        {
            throw new InvalidOperationException($"Audit writer '{_writer}' exited with code {_process.ExitCode}. Its output:\n{Output}");
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    private string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    private void Received(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        if (line == "ready")
        {
            _ready.TrySetResult();
        }
    }

    private static string DllPath()
    {
        var path = typeof(AuditWriterProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(a => a.Key == "helper:AgentSuite.AuditWriter")?.Value
            ?? throw new InvalidOperationException("The test project did not record where AgentSuite.AuditWriter was built.");
        return File.Exists(path) ? path : throw new FileNotFoundException($"AgentSuite.AuditWriter is not built at {path}.", path);
    }
}
