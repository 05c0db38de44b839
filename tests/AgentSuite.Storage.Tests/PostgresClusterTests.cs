using System.Net;
using System.Net.Sockets;
using AgentSuite.Tests.Postgres;

namespace AgentSuite.Storage.Tests;

/// <summary>The tests' own throwaway cluster: a start that cannot succeed says why and leaves nothing running.</summary>
public sealed class PostgresClusterTests
{
    [Fact]
    public async Task A_server_that_cannot_bind_its_port_is_reported_and_leaves_no_server_running()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => PostgresCluster.StartAsync(() => port));

        Assert.Contains("could not bind", error.Message, StringComparison.Ordinal);
        Assert.Empty(ServersOn(port));
    }

    // The postgres processes started with "-p PORT", by their command lines.
    private static List<int> ServersOn(int port)
    {
        var servers = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            string[] arguments;
            try
            {
                arguments = File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0');
            }
            catch (IOException)
            {
                continue;
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }

            var at = Array.IndexOf(arguments, "-p");
            if (arguments[0].EndsWith("/postgres", StringComparison.Ordinal) && at >= 0 && at + 1 < arguments.Length && arguments[at + 1] == port.ToString(System.Globalization.CultureInfo.InvariantCulture))
            {
                servers.Add(pid);
            }
        }

        return servers;
    }
}
