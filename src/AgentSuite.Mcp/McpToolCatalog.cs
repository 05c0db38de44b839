using AgentSuite.Governance;
using AgentSuite.Governance.Configuration;
using AgentSuite.Governance.Pinning;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentSuite.Mcp;

/// <summary>
/// The tools of every configured server as governed tools named <c>server/tool</c> for policy and
/// <c>server_tool</c> for the model. Discovery records each definition with the pin service, so a definition that
/// changes later is blocked until an admin approves it. A server that cannot be reached at start is retried when its
/// tools are next asked for.
/// </summary>
public sealed class McpToolCatalog : IAsyncDisposable
{
    private int _disposed;
    private readonly Dictionary<string, ServerState> _servers;
    private readonly GovernedToolFactory _factory;
    private readonly ToolPinService _pins;
    private readonly GovernancePolicyProvider _policies;
    private readonly ILogger<McpToolCatalog> _logger;

    public McpToolCatalog(IOptions<McpOptions> options, IMcpTransportFactory transports, GovernedToolFactory factory, ToolPinService pins, GovernancePolicyProvider policies, ILoggerFactory loggers)
    {
        var settings = options.Value;
        _servers = settings.Servers.ToDictionary(
            s => s.Key,
            s => new ServerState(new McpConnection(s.Key, s.Value, settings, transports, loggers)),
            StringComparer.Ordinal);
        _factory = factory;
        _pins = pins;
        _policies = policies;
        _logger = loggers.CreateLogger<McpToolCatalog>();
    }

    public IReadOnlyCollection<string> Servers => _servers.Keys;

    public McpConnection Connection(string server) => State(server).Connection;

    /// <summary>Connects to every server and discovers its tools; a server that fails is logged and retried later.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await Task.WhenAll(_servers.Keys.Select(async server =>
        {
            try
            {
                var tools = await GetToolsAsync(server, cancellationToken);
                _logger.LogInformation("MCP server {Server}: {Count} tools", server, tools.Count);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                _logger.LogError(ex, "MCP server {Server} is not available; its tools are missing until it is", server);
            }
        }));
    }

    public async Task<IReadOnlyList<GovernedTool>> GetToolsAsync(IEnumerable<string> servers, CancellationToken cancellationToken = default)
    {
        var all = new List<GovernedTool>();
        foreach (var server in servers)
        {
            all.AddRange(await GetToolsAsync(server, cancellationToken));
        }

        return all;
    }

    public async Task<IReadOnlyList<GovernedTool>> GetToolsAsync(string server, CancellationToken cancellationToken = default)
    {
        var state = State(server);
        if (state.Tools is { } known)
        {
            return known;
        }

        await state.Gate.WaitAsync(cancellationToken);
        try
        {
            return state.Tools ?? await DiscoverAsync(server, state, cancellationToken);
        }
        finally
        {
            state.Gate.Release();
        }
    }

    /// <summary>Closes every connection (stopping stdio servers). Safe to call twice: the hosted service and the container both do.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        foreach (var state in _servers.Values)
        {
            await state.Connection.DisposeAsync();
            state.Gate.Dispose();
        }
    }

    private async Task<IReadOnlyList<GovernedTool>> DiscoverAsync(string server, ServerState state, CancellationToken cancellationToken)
    {
        var listed = await state.Connection.ListToolsAsync(cancellationToken);
        var connects = state.Connection.Connects;
        var tools = listed
            .Select(t => _factory.Create(
                new McpToolProxy(state.Connection, t.ProtocolTool, connects, () => state.Tools = null),
                new ToolDescriptor(new ToolIdentity(server, t.Name), McpAnnotations.From(t.ProtocolTool.Annotations), McpToolNames.ForModel(server, t.Name))))
            .ToList();

        var mode = _policies.Current.Options.Pinning.Mode;
        foreach (var tool in tools)
        {
            await _pins.ObserveAsync(tool, mode, cancellationToken);
        }

        state.Tools = tools;
        return tools;
    }

    private ServerState State(string server) =>
        _servers.TryGetValue(server, out var state)
            ? state
            : throw new KeyNotFoundException($"No MCP server named '{server}' is configured (add {McpOptions.SectionName}:Servers:{server}).");

    private sealed class ServerState(McpConnection connection)
    {
        private volatile IReadOnlyList<GovernedTool>? _tools;

        public McpConnection Connection { get; } = connection;

        public SemaphoreSlim Gate { get; } = new(1, 1);

        public IReadOnlyList<GovernedTool>? Tools
        {
            get => _tools;
            set => _tools = value;
        }
    }
}
