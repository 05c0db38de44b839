using System.Globalization;
using System.Runtime.InteropServices;

namespace AgentSuite.Governance.Tests.Support;

/// <summary>
/// Lowers this process's address-space limit (Linux RLIMIT_AS) to what it already maps plus some headroom, so a larger
/// reservation really fails; disposing restores the limit. Linux only: elsewhere the limit is not enforced.
/// </summary>
public sealed partial class AddressSpaceLimit : IDisposable
{
    private const int RlimitAs = 9;

    private readonly Limit _previous;

    private AddressSpaceLimit(Limit previous) => _previous = previous;

    public static AddressSpaceLimit Lower(long headroomBytes)
    {
        if (GetLimit(RlimitAs, out var previous) != 0)
        {
            throw new InvalidOperationException($"getrlimit failed: {Marshal.GetLastPInvokeError()}");
        }

        var mapped = File.ReadLines("/proc/self/status").First(line => line.StartsWith("VmSize:", StringComparison.Ordinal));
        var mappedKb = ulong.Parse(mapped.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        var lowered = previous with { Current = mappedKb * 1024 + (ulong)headroomBytes };
        if (SetLimit(RlimitAs, in lowered) != 0)
        {
            throw new InvalidOperationException($"setrlimit failed: {Marshal.GetLastPInvokeError()}");
        }

        return new AddressSpaceLimit(previous);
    }

    public void Dispose() => _ = SetLimit(RlimitAs, in _previous);

    [LibraryImport("libc", EntryPoint = "getrlimit", SetLastError = true)]
    private static partial int GetLimit(int resource, out Limit limit);

    [LibraryImport("libc", EntryPoint = "setrlimit", SetLastError = true)]
    private static partial int SetLimit(int resource, in Limit limit);

    [StructLayout(LayoutKind.Sequential)]
    private readonly record struct Limit(ulong Current, ulong Maximum);
}
