// Thin stand-in for ModelContextProtocol.AspNetCore (which does not restore here): serves an MCP server over Streamable HTTP from plain ASP.NET Core.
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace AgentSuite.McpHosting;

/// <summary>
/// Maps POST, GET and DELETE on one path to the MCP server configured with <c>AddMcpServer()</c>. A client that
/// starts with <c>initialize</c> gets an <c>Mcp-Session-Id</c> and one <see cref="McpServer"/> per session; a client
/// on a sessionless protocol revision (2026-07-28 and later) gets one short-lived server per request.
/// </summary>
public static class StreamableHttpMcpEndpoint
{
    /// <summary>Sessions nobody has used for this long are closed, so vanished clients do not leak servers.</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(30);

    public const string SessionIdHeader = "Mcp-Session-Id";
    public const string ProtocolVersionHeader = "MCP-Protocol-Version";

    // Revisions from this date on have no initialize handshake and no Mcp-Session-Id (SEP-2567, SEP-2575).
    private const string FirstSessionlessRevision = "2026-07-28";

    private static readonly JsonTypeInfo<JsonRpcMessage> MessageType =
        (JsonTypeInfo<JsonRpcMessage>)McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(JsonRpcMessage));

    private static readonly JsonTypeInfo<JsonRpcError> ErrorType =
        (JsonTypeInfo<JsonRpcError>)McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(JsonRpcError));

    public static IEndpointConventionBuilder MapStreamableHttpMcp(this IEndpointRouteBuilder endpoints, string pattern = "/mcp")
    {
        var sessions = new SessionTable(endpoints.ServiceProvider);
        var group = endpoints.MapGroup(pattern);
        group.MapPost("", sessions.PostAsync);
        group.MapGet("", sessions.GetAsync);
        group.MapDelete("", sessions.DeleteAsync);
        return group;
    }

    private sealed class SessionTable : IAsyncDisposable
    {
        private readonly ConcurrentDictionary<string, Session> _sessions = new(StringComparer.Ordinal);
        private readonly McpServerOptions _options;
        private readonly ILoggerFactory _loggers;
        private readonly IServiceProvider _services;
        private readonly CancellationToken _stopping;
        private readonly Timer _sweeper;

        public SessionTable(IServiceProvider services)
        {
            _services = services;
            _options = services.GetRequiredService<IOptions<McpServerOptions>>().Value;
            _loggers = services.GetRequiredService<ILoggerFactory>();
            var lifetime = services.GetRequiredService<IHostApplicationLifetime>();
            _stopping = lifetime.ApplicationStopping;
            _sweeper = new Timer(_ => _ = CloseIdleAsync(), null, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
            lifetime.ApplicationStopping.Register(() => DisposeAsync().AsTask().GetAwaiter().GetResult());
        }

        public async Task PostAsync(HttpContext context)
        {
            var accept = context.Request.GetTypedHeaders().Accept;
            if (!accept.Any(m => m.MatchesMediaType("application/json")) || !accept.Any(m => m.MatchesMediaType("text/event-stream")))
            {
                await ErrorAsync(context, 406, "Not Acceptable: the client must accept both application/json and text/event-stream.");
                return;
            }

            JsonRpcMessage? message;
            try
            {
                message = await context.Request.ReadFromJsonAsync(MessageType, context.RequestAborted);
            }
            catch (JsonException)
            {
                message = null;
            }

            if (message is null)
            {
                await ErrorAsync(context, 400, "Bad Request: the body is not a JSON-RPC message.", (int)McpErrorCode.InvalidRequest);
                return;
            }

            var requestId = message is JsonRpcRequest request ? request.Id : default;
            var version = context.Request.Headers[ProtocolVersionHeader].ToString();
            if (version.Length > 0)
            {
                message.Context ??= new();
                message.Context.ProtocolVersion = version;
            }

            if (IsSessionless(version))
            {
                await using var oneShot = Start(sessionId: null);
                await RespondAsync(context, oneShot.Transport, message);
                return;
            }

            var sessionId = context.Request.Headers[SessionIdHeader].ToString();
            Session? session;
            if (sessionId.Length == 0)
            {
                if (message is not JsonRpcRequest { Method: RequestMethods.Initialize })
                {
                    await ErrorAsync(context, 400, "Bad Request: send Mcp-Session-Id; only an initialize request may start a new session.", requestId: requestId);
                    return;
                }

                session = Start(NewSessionId());
                _sessions[session.Id!] = session;
            }
            else if (!_sessions.TryGetValue(sessionId, out session))
            {
                await ErrorAsync(context, 404, "Session not found: it ended or expired; start a new session with initialize.", -32001, requestId);
                return;
            }

            context.Response.Headers[SessionIdHeader] = session.Id;
            using (session.Use())
            {
                await RespondAsync(context, session.Transport, message);
            }
        }

        public async Task GetAsync(HttpContext context)
        {
            if (IsSessionless(context.Request.Headers[ProtocolVersionHeader].ToString()))
            {
                context.Response.Headers.Allow = HttpMethods.Post;
                await ErrorAsync(context, 405, "Method Not Allowed: this protocol revision has no GET stream; use POST.");
                return;
            }

            if (!context.Request.GetTypedHeaders().Accept.Any(m => m.MatchesMediaType("text/event-stream")))
            {
                await ErrorAsync(context, 406, "Not Acceptable: the client must accept text/event-stream.");
                return;
            }

            if (await FindAsync(context) is not { } session)
            {
                return;
            }

            if (!session.TryStartGet())
            {
                await ErrorAsync(context, 400, "Bad Request: this session already has its GET stream open.");
                return;
            }

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping);
            using (session.Use())
            {
                StartEventStream(context);
                try
                {
                    await session.Transport.HandleGetRequestAsync(context.Response.Body, stop.Token);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    // The client went away or the server is stopping: that is how an event stream ends.
                }
            }
        }

        public async Task DeleteAsync(HttpContext context)
        {
            if (await FindAsync(context) is { } session && _sessions.TryRemove(session.Id!, out _))
            {
                await session.DisposeAsync();
            }
        }

        private async Task<Session?> FindAsync(HttpContext context)
        {
            var sessionId = context.Request.Headers[SessionIdHeader].ToString();
            if (sessionId.Length == 0)
            {
                await ErrorAsync(context, 400, "Bad Request: GET and DELETE need the Mcp-Session-Id header.");
                return null;
            }

            if (!_sessions.TryGetValue(sessionId, out var session))
            {
                await ErrorAsync(context, 404, "Session not found: it ended or expired; start a new session with initialize.", -32001);
                return null;
            }

            context.Response.Headers[SessionIdHeader] = session.Id;
            return session;
        }

        private Session Start(string? sessionId)
        {
            var transport = sessionId is null
                ? new StreamableHttpServerTransport(_loggers) { Stateless = true }
                : new StreamableHttpServerTransport(_loggers) { SessionId = sessionId };
            var server = McpServer.Create(transport, _options, _loggers, _services);
            return new Session(sessionId, transport, server);
        }

        private static async Task RespondAsync(HttpContext context, StreamableHttpServerTransport transport, JsonRpcMessage message)
        {
            StartEventStream(context);
            if (!await transport.HandlePostRequestAsync(message, context.Response.Body, context.RequestAborted))
            {
                // A notification or response from the client: nothing to send back.
                context.Response.Headers.ContentType = (string?)null;
                context.Response.StatusCode = StatusCodes.Status202Accepted;
            }
        }

        private async Task CloseIdleAsync()
        {
            foreach (var session in _sessions.Values.Where(s => s.IdleFor > IdleTimeout))
            {
                if (_sessions.TryRemove(session.Id!, out _))
                {
                    await session.DisposeAsync();
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _sweeper.DisposeAsync();
            foreach (var id in _sessions.Keys)
            {
                if (_sessions.TryRemove(id, out var session))
                {
                    await session.DisposeAsync();
                }
            }
        }
    }

    /// <summary>One MCP server bound to one transport, running until the session is deleted, expires or the app stops.</summary>
    private sealed class Session : IAsyncDisposable
    {
        private readonly CancellationTokenSource _closed = new();
        private readonly Task _run;
        private int _inUse;
        private int _getStarted;
        private int _disposed;
        private long _lastUsed = Environment.TickCount64;

        public Session(string? id, StreamableHttpServerTransport transport, McpServer server)
        {
            Id = id;
            Transport = transport;
            Server = server;
            _run = server.RunAsync(_closed.Token);
        }

        public string? Id { get; }

        public StreamableHttpServerTransport Transport { get; }

        public McpServer Server { get; }

        public TimeSpan IdleFor => Volatile.Read(ref _inUse) > 0
            ? TimeSpan.Zero
            : TimeSpan.FromMilliseconds(Environment.TickCount64 - Interlocked.Read(ref _lastUsed));

        public bool TryStartGet() => Interlocked.Exchange(ref _getStarted, 1) == 0;

        public IDisposable Use()
        {
            Interlocked.Increment(ref _inUse);
            return new Lease(this);
        }

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 1)
            {
                return;
            }

            try
            {
                // Closing the transport first lets the server's message loop end without an exception.
                await Transport.DisposeAsync();
                await _closed.CancelAsync();
                await _run;
            }
            catch (OperationCanceledException)
            {
            }
            finally
            {
                await Server.DisposeAsync();
                _closed.Dispose();
            }
        }

        private sealed class Lease(Session session) : IDisposable
        {
            public void Dispose()
            {
                Interlocked.Exchange(ref session._lastUsed, Environment.TickCount64);
                Interlocked.Decrement(ref session._inUse);
            }
        }
    }

    private static bool IsSessionless(string protocolVersion) =>
        protocolVersion.Length > 0 && string.CompareOrdinal(protocolVersion, FirstSessionlessRevision) >= 0;

    private static string NewSessionId() => WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(16));

    private static void StartEventStream(HttpContext context)
    {
        context.Response.Headers.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache,no-store";
        context.Response.Headers.ContentEncoding = "identity";
        context.Features.GetRequiredFeature<IHttpResponseBodyFeature>().DisableBuffering();
    }

    private static Task ErrorAsync(HttpContext context, int status, string message, int code = -32000, RequestId requestId = default) =>
        Results.Json(new JsonRpcError { Id = requestId, Error = new() { Code = code, Message = message } }, ErrorType, statusCode: status)
            .ExecuteAsync(context);
}
