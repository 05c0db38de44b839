using System.Threading.Channels;
using AgentSuite.Mcp;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace AgentSuite.Agents.Tests;

/// <summary>
/// The app's own transports, with a hook around the first <c>tools/call</c> of one tool on one server:
/// <c>beforeSend</c> runs just before the request is written, <c>afterSend</c> just after. A test uses it to freeze the
/// server before the request reaches it and kill it once the request is out, so the call is lost in flight every time.
/// </summary>
public sealed class CrashingTransportFactory(IMcpTransportFactory inner, string server, string tool, Action beforeSend, Action afterSend) : IMcpTransportFactory
{
    private int _fired;

    private void BeforeSend() => beforeSend();

    private void AfterSend() => afterSend();

    public bool Fired => Volatile.Read(ref _fired) == 1;

    public IClientTransport Create(string name, McpServerConnectionOptions options)
    {
        var transport = inner.Create(name, options);
        return name == server ? new Client(transport, this) : transport;
    }

    private bool ShouldFire(JsonRpcMessage message) =>
        message is JsonRpcRequest { Method: RequestMethods.ToolsCall, Params: { } p }
        && p["name"]?.GetValue<string>() == tool
        && Interlocked.Exchange(ref _fired, 1) == 0;

    private sealed class Client(IClientTransport inner, CrashingTransportFactory owner) : IClientTransport
    {
        public string Name => inner.Name;

        public async Task<ITransport> ConnectAsync(CancellationToken cancellationToken = default) =>
            new Session(await inner.ConnectAsync(cancellationToken), owner);
    }

    private sealed class Session(ITransport inner, CrashingTransportFactory owner) : ITransport
    {
        public string? SessionId => inner.SessionId;

        public ChannelReader<JsonRpcMessage> MessageReader => inner.MessageReader;

        public async Task SendMessageAsync(JsonRpcMessage message, CancellationToken cancellationToken = default)
        {
            var fire = owner.ShouldFire(message);
            if (fire)
            {
                owner.BeforeSend();
            }

            await inner.SendMessageAsync(message, cancellationToken);
            if (fire)
            {
                owner.AfterSend();
            }
        }

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
