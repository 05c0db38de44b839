namespace AgentSuite.Tests.Leases;

/// <summary>
/// Who holds which turn, as a shared store's lease columns say, for <see cref="LeasingTurnStore"/>s standing in for
/// instances on one database. A lease does not run out with time here: a test says when an instance stopped renewing
/// (<see cref="Silence"/>) and when its leases ran out (<see cref="Expire"/>), so nothing depends on timing.
/// </summary>
public sealed class LeaseBoard
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (string Holder, bool Expired, long Epoch)> _leases = new(StringComparer.Ordinal);
    private readonly HashSet<string> _silenced = new(StringComparer.Ordinal);

    /// <summary>How often each instance renewed, released or claimed, to show the timer runs.</summary>
    public Dictionary<string, int> Renewals { get; } = new(StringComparer.Ordinal);

    public string? HolderOf(string runId)
    {
        lock (_gate)
        {
            return _leases.TryGetValue(runId, out var lease) ? lease.Holder : null;
        }
    }

    /// <summary>Which claim of <paramref name="runId"/> holds it now (0 at its start, one more at every claim).</summary>
    public long EpochOf(string runId)
    {
        lock (_gate)
        {
            return _leases.TryGetValue(runId, out var lease) ? lease.Epoch : 0;
        }
    }

    /// <summary>The instance stopped (a SIGKILL): it renews and releases nothing any more.</summary>
    public void Silence(string instance)
    {
        lock (_gate)
        {
            _silenced.Add(instance);
        }
    }

    /// <summary>Every lease of <paramref name="instance"/> has run out: any instance may claim its turns.</summary>
    public void Expire(string instance)
    {
        lock (_gate)
        {
            foreach (var (run, lease) in _leases.ToList())
            {
                if (lease.Holder == instance)
                {
                    _leases[run] = lease with { Expired = true };
                }
            }
        }
    }

    /// <summary>Hands <paramref name="runId"/> to <paramref name="instance"/> whatever its lease (another instance took it over).</summary>
    public void Give(string runId, string instance)
    {
        lock (_gate)
        {
            _leases[runId] = (instance, false, _leases.TryGetValue(runId, out var lease) ? lease.Epoch + 1 : 0);
        }
    }

    /// <summary>Every turn <paramref name="from"/> holds is held by <paramref name="to"/> now (it claimed them after they expired).</summary>
    public void HandOver(string from, string to)
    {
        lock (_gate)
        {
            foreach (var (run, lease) in _leases.ToList())
            {
                if (lease.Holder == from)
                {
                    _leases[run] = (to, false, lease.Epoch + 1);
                }
            }
        }
    }

    internal void Take(string runId, string instance)
    {
        lock (_gate)
        {
            _leases[runId] = (instance, false, 0);
        }
    }

    /// <summary>The new claim's epoch, or null when the lease still holds.</summary>
    internal long? TryClaim(string runId, string instance)
    {
        lock (_gate)
        {
            var epoch = 0L;
            if (_leases.TryGetValue(runId, out var lease))
            {
                if (!lease.Expired)
                {
                    return null;
                }

                epoch = lease.Epoch + 1;
            }

            _leases[runId] = (instance, false, epoch);
            return epoch;
        }
    }

    /// <summary>Null when <paramref name="instance"/> holds the turn under <paramref name="epoch"/>, else the holder (re-taking a lease that expired unclaimed).</summary>
    internal string? OtherHolder(string runId, string instance, long epoch)
    {
        lock (_gate)
        {
            if (!_leases.TryGetValue(runId, out var lease))
            {
                return null;
            }

            if (lease.Holder != instance || lease.Epoch != epoch)
            {
                return lease.Holder;
            }

            _leases[runId] = lease with { Expired = false };
            return null;
        }
    }

    internal void End(string runId)
    {
        lock (_gate)
        {
            _leases.Remove(runId);
        }
    }

    internal int Renew(string instance, IReadOnlyCollection<string> runIds)
    {
        lock (_gate)
        {
            if (_silenced.Contains(instance))
            {
                return 0;
            }

            Renewals[instance] = Renewals.GetValueOrDefault(instance) + 1;
            var held = _leases.Where(l => l.Value.Holder == instance && runIds.Contains(l.Key)).Select(l => l.Key).ToList();
            foreach (var run in held)
            {
                _leases[run] = _leases[run] with { Expired = false };
            }

            return held.Count;
        }
    }

    internal void Release(string instance, IReadOnlyCollection<string> runIds)
    {
        lock (_gate)
        {
            if (_silenced.Contains(instance))
            {
                return;
            }

            foreach (var run in _leases.Where(l => l.Value.Holder == instance && runIds.Contains(l.Key)).Select(l => l.Key).ToList())
            {
                _leases[run] = _leases[run] with { Expired = true };
            }
        }
    }
}
