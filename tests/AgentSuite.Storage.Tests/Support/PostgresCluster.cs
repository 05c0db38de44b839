using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace AgentSuite.Tests.Postgres;

/// <summary>
/// A throwaway PostgreSQL cluster from Debian's <c>postgresql</c> package, started once per test process on a free
/// loopback port in a temporary folder, and stopped and removed when the process exits. Each user gets its own database
/// (<see cref="CreateDatabaseAsync"/>). As root, the cluster runs as the <c>postgres</c> user (PostgreSQL refuses root).
/// A watchdog stops the server and removes the folder when the test process ends, even by SIGKILL; a folder left
/// behind all the same (the machine stopped) is removed by the next test process.
/// </summary>
public sealed class PostgresCluster
{
    private const string FolderPrefix = "agentsuite-pg-";
    private static readonly Lazy<Task<PostgresCluster>> Shared = new(() => StartAsync(FreePort));
    private static int _databases;

    private PostgresCluster(string folder, string bin, int port, string? runAs)
    {
        Folder = folder;
        Bin = bin;
        Port = port;
        RunAs = runAs;
    }

    /// <summary>The temporary folder holding the cluster's data, socket and log.</summary>
    public string Folder { get; }

    public int Port { get; }

    private string Bin { get; }

    private string? RunAs { get; }

    private string DataFolder => Path.Combine(Folder, "data");

    /// <summary>The cluster of this test process, started on first use.</summary>
    public static Task<PostgresCluster> GetAsync() => Shared.Value;

    /// <summary>The connection string of <paramref name="database"/> on this cluster (trust authentication on loopback).</summary>
    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = "postgres", Database = database, Pooling = true }.ConnectionString;

    /// <summary>Creates an empty database with a fresh name and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix = "t")
    {
        var name = $"{prefix}_{Environment.ProcessId}_{Interlocked.Increment(ref _databases)}_{Guid.NewGuid().ToString("N")[..6]}".ToLowerInvariant();
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    /// <summary>Starts a cluster of its own (not the shared one) on the ports <paramref name="port"/> gives, a few tries.</summary>
    internal static async Task<PostgresCluster> StartAsync(Func<int> port)
    {
        RemoveLeftovers();
        var bin = FindBin();
        var runAs = Environment.UserName == "root" || geteuid() == 0 ? "postgres" : null;
        var folder = Path.Combine(Path.GetTempPath(), $"{FolderPrefix}{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}");
        Directory.CreateDirectory(folder);
        if (runAs is not null)
        {
            await RunAsync("chown", [runAs, folder], runAs: null);
        }

        var cluster = new PostgresCluster(folder, bin, 0, runAs);
        await RunAsync(Path.Combine(bin, "initdb"), ["-D", cluster.DataFolder, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync"], runAs);

        // A free port can be taken between the probe and the start: try a few.
        for (var attempt = 1; ; attempt++)
        {
            var started = new PostgresCluster(folder, bin, port(), runAs);
            try
            {
                await started.RunServerAsync();
                return started;
            }
            catch (InvalidOperationException) when (attempt < 5)
            {
                // Port taken: the server did not start; try another.
            }
            catch
            {
                TryDelete(folder);
                throw;
            }
        }
    }

    // The server runs under a small watchdog shell: when this test process ends, however it ends (SIGKILL included),
    // the watchdog stops the server at once (SIGQUIT) and removes the folder, so no server outlives its tests.
    private async Task RunServerAsync()
    {
        var log = Path.Combine(Folder, $"postgres-{Port}.log");
        var script = $"""
            "{Path.Combine(Bin, "postgres")}" -D "{DataFolder}" -p {Port} -k "{Folder}" -c listen_addresses=127.0.0.1 -c max_connections=100 -c fsync=off -c synchronous_commit=off -c full_page_writes=off >"{log}" 2>&1 &
            pg=$!
            while [ -d /proc/{Environment.ProcessId} ] && kill -0 $pg 2>/dev/null; do sleep 0.5; done
            if kill -0 $pg 2>/dev/null; then kill -QUIT $pg; wait $pg; rm -rf "{Folder}"; fi
            """;
        var start = new ProcessStartInfo(RunAs is null ? "sh" : "runuser") { UseShellExecute = false, RedirectStandardInput = true };
        if (RunAs is not null)
        {
            foreach (var argument in new[] { "-u", RunAs, "--", "sh" })
            {
                start.ArgumentList.Add(argument);
            }
        }

        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        var watchdog = Process.Start(start)!;
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(ConnectionString("postgres") + ";Timeout=2");
                await connection.OpenAsync();
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                // Only a start that cannot succeed ends the wait: a FATAL such as "the database system is starting up",
                // answered to this probe while the server starts, is a reason to try again.
                var logged = File.Exists(log) ? await File.ReadAllTextAsync(log) : "";
                if (watchdog.HasExited || logged.Contains("could not bind", StringComparison.Ordinal) || logged.Contains("lock file", StringComparison.Ordinal))
                {
                    await StopAsync(watchdog);
                    throw new InvalidOperationException($"PostgreSQL did not start on port {Port}: {logged}");
                }

                if (clock.Elapsed > TimeSpan.FromSeconds(60))
                {
                    await StopAsync(watchdog);
                    throw new TimeoutException($"PostgreSQL did not accept connections on port {Port} within 60 s: {logged}");
                }

                await Task.Delay(50);
            }
        }
    }

    // A start that failed leaves no server behind on the data folder, so the next attempt is the only one on it: the
    // server stops itself when it cannot bind, and is stopped here if not; its watchdog then ends.
    private async Task StopAsync(Process watchdog)
    {
        using (watchdog)
        {
            if (await ExitsAsync(watchdog, TimeSpan.FromSeconds(10)))
            {
                return;
            }

            try
            {
                await RunAsync(Path.Combine(Bin, "pg_ctl"), ["stop", "-D", DataFolder, "-m", "immediate", "-w"], RunAs);
            }
            catch (InvalidOperationException)
            {
                // No server was running on the folder after all (pg_ctl found no postmaster.pid).
            }

            if (!await ExitsAsync(watchdog, TimeSpan.FromSeconds(30)))
            {
                throw new InvalidOperationException($"PostgreSQL's watchdog for port {Port} did not end after its server was stopped; not starting a second server on {DataFolder}.");
            }
        }
    }

    private static async Task<bool> ExitsAsync(Process process, TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    // Folders of test processes that no longer run: their server may still be running (the process was killed).
    private static void RemoveLeftovers()
    {
        foreach (var folder in Directory.EnumerateDirectories(Path.GetTempPath(), FolderPrefix + "*"))
        {
            var name = Path.GetFileName(folder)[FolderPrefix.Length..];
            if (!int.TryParse(name.Split('-')[0], out var pid) || IsRunning(pid))
            {
                continue;
            }

            var pidFile = Path.Combine(folder, "data", "postmaster.pid");
            if (File.Exists(pidFile) && int.TryParse(File.ReadLines(pidFile).FirstOrDefault(), out var server))
            {
                try
                {
                    Process.GetProcessById(server).Kill();
                }
                catch (ArgumentException)
                {
                    // Not running.
                }
            }

            TryDelete(folder);
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    // Debian puts the server's programs under /usr/lib/postgresql/VERSION/bin, not on PATH; the newest version wins.
    private static string FindBin()
    {
        if (Environment.GetEnvironmentVariable("AGENTSUITE_PG_BIN") is { Length: > 0 } configured)
        {
            return configured;
        }

        var debian = Directory.Exists("/usr/lib/postgresql")
            ? Directory.EnumerateDirectories("/usr/lib/postgresql")
                .Select(d => (Dir: d, Version: int.TryParse(Path.GetFileName(d), out var v) ? v : 0))
                .Where(d => File.Exists(Path.Combine(d.Dir, "bin", "pg_ctl")))
                .OrderByDescending(d => d.Version)
                .Select(d => Path.Combine(d.Dir, "bin"))
                .FirstOrDefault()
            : null;
        if (debian is not null)
        {
            return debian;
        }

        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(d => File.Exists(Path.Combine(d, "pg_ctl")) && File.Exists(Path.Combine(d, "initdb")));
        return onPath ?? throw new InvalidOperationException(
            "PostgreSQL's server programs (initdb, pg_ctl) were not found: install Debian's package with 'apt-get install -y postgresql' (.ci/run does), or set AGENTSUITE_PG_BIN to their folder.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string program, IReadOnlyList<string> arguments, string? runAs)
    {
        var start = new ProcessStartInfo(runAs is null ? program : "runuser")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (runAs is not null)
        {
            start.ArgumentList.Add("-u");
            start.ArgumentList.Add(runAs);
            start.ArgumentList.Add("--");
            start.ArgumentList.Add(program);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(program)} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await error}{await output}");
        }
    }

    [System.Runtime.InteropServices.DllImport("libc")]
#pragma warning disable SYSLIB1054, CA5392 // one call, no marshalling
    private static extern uint geteuid();
#pragma warning restore SYSLIB1054, CA5392
}
