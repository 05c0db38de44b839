namespace AgentSuite.Governance.Pinning;

public interface IToolPinStore
{
    Task<ToolPin?> GetAsync(string tool, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ToolPin>> ListAsync(CancellationToken cancellationToken = default);

    Task SaveAsync(ToolPin pin, CancellationToken cancellationToken = default);
}
