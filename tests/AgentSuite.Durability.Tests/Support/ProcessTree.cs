using System.Globalization;
using System.Runtime.InteropServices;

namespace AgentSuite.Durability.Tests.Support;

/// <summary>
/// A process and all its descendants, found through /proc, and killed as a power cut or the OOM killer would: SIGKILL,
/// with no chance to flush, close or answer. The whole tree is stopped first so no process sees another die.
/// </summary>
public static partial class ProcessTree
{
    private const int SigKill = 9;
    private const int SigStop = 19;

    /// <summary>Stops, then SIGKILLs, <paramref name="root"/> and every descendant; returns the pids killed, root first.</summary>
    public static IReadOnlyList<int> KillHard(int root)
    {
        // Stopped processes cannot fork or react, so the list is complete and nothing records the others' deaths.
        Signal(root, SigStop);
        var tree = new List<int> { root };
        for (var i = 0; i < tree.Count; i++)
        {
            foreach (var child in ChildrenOf(tree[i]))
            {
                Signal(child, SigStop);
                tree.Add(child);
            }
        }

        foreach (var pid in tree)
        {
            Signal(pid, SigKill);
        }

        return tree;
    }

    /// <summary>Whether <paramref name="pid"/> still runs (a zombie waiting to be reaped has stopped running).</summary>
    public static bool IsRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return false;
        }
    }

    /// <summary>The processes whose parent is <paramref name="pid"/>, read from every /proc/*/stat.</summary>
    public static IEnumerable<int> ChildrenOf(int pid)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var candidate))
            {
                continue;
            }

            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(dir, "stat"));
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException)
            {
                continue;
            }

            // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so read after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (int.Parse(fields[1], CultureInfo.InvariantCulture) == pid)
            {
                yield return candidate;
            }
        }
    }

    private static void Signal(int pid, int signal) => _ = Kill(pid, signal);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
