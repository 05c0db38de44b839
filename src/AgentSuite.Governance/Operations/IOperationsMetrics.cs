namespace AgentSuite.Governance.Operations;

/// <summary>
/// The figures an operations lead tracks, read from the audit and the turn store (never from memory), so they survive
/// restarts and agree with the chain. One implementation per store; <see cref="OperationsReports"/> builds the windows.
/// </summary>
public interface IOperationsMetrics
{
    Task<OperationsWindow> ReadAsync(MetricsWindow window, CancellationToken cancellationToken = default);
}
