using System.Net;
using System.Net.Sockets;

namespace AgentSuite.Api.Tests.Support;

/// <summary>
/// An http address on 127.0.0.1 that refuses every connection for as long as this lives: a receiver that is down. The
/// port is held by a socket bound to it that never listens, so no other process can take it meanwhile.
/// </summary>
public sealed class RefusingAddress : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

    public RefusingAddress(string path = "/")
    {
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Url = new Uri($"http://127.0.0.1:{((IPEndPoint)_socket.LocalEndPoint!).Port}{path}");
    }

    public Uri Url { get; }

    public void Dispose() => _socket.Dispose();
}
