using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentSuite.Observability.Tests.Support;

/// <summary>A span as an OTLP exporter sent it: the resource's <c>service.name</c>, the scope (activity source) and the span's own fields.</summary>
public sealed record ExportedSpan(
    string Service, string Scope, string Name, string TraceId, string SpanId, string ParentSpanId, int Kind, IReadOnlyDictionary<string, string> Attributes)
{
    public const int Server = 2;
    public const int Client = 3;

    public override string ToString() => $"{Service} {Scope} '{Name}' trace {TraceId} span {SpanId} parent {(ParentSpanId.Length == 0 ? "-" : ParentSpanId)}";
}

public sealed record ExportedMetric(string Service, string Scope, string Name);

public sealed record ExportedLog(string Service, string Category, string Body, string TraceId);

/// <summary>
/// A loopback OTLP receiver: Kestrel on 127.0.0.1 at a free port accepting protobuf on <c>POST /v1/traces</c>,
/// <c>/v1/metrics</c> and <c>/v1/logs</c> (OTLP/HTTP), or the three collector services' <c>Export</c> calls (OTLP/gRPC),
/// decoding just the fields the tests look at (names, ids, attributes). <see cref="Environment"/> gives the variables
/// that point a process at it.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<ExportedSpan> _spans = [];
    private readonly List<ExportedMetric> _metrics = [];
    private readonly List<ExportedLog> _logs = [];
    private readonly List<string> _requests = [];

    private readonly bool _grpc;

    private OtlpReceiver(WebApplication app, bool grpc) => (_app, _grpc) = (app, grpc);

    public Uri Endpoint { get; private set; } = null!;

    /// <summary>Each request as <c>PATH content-type</c>.</summary>
    public IReadOnlyList<string> Requests => Snapshot(_requests);

    public IReadOnlyList<ExportedSpan> Spans => Snapshot(_spans);

    public IReadOnlyList<ExportedMetric> Metrics => Snapshot(_metrics);

    public IReadOnlyList<ExportedLog> Logs => Snapshot(_logs);

    /// <summary>The OTLP variables for a process that should export here, flushing every <paramref name="delay"/> ms.</summary>
    public Dictionary<string, string?> Environment(string serviceName, int delay = 200) => new(StringComparer.Ordinal)
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = Endpoint.ToString().TrimEnd('/'),
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = _grpc ? "grpc" : "http/protobuf",
        ["OTEL_SERVICE_NAME"] = serviceName,
        ["OTEL_BSP_SCHEDULE_DELAY"] = delay.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["OTEL_BLRP_SCHEDULE_DELAY"] = delay.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["OTEL_METRIC_EXPORT_INTERVAL"] = (delay * 2).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>Starts on a free port; with <paramref name="grpc"/>, speaks OTLP/gRPC (HTTP/2 without TLS) instead of OTLP/HTTP.</summary>
    public static async Task<OtlpReceiver> StartAsync(bool grpc = false)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(k => k.ConfigureEndpointDefaults(e => e.Protocols = grpc ? HttpProtocols.Http2 : HttpProtocols.Http1AndHttp2));
        builder.Logging.ClearProviders();

        // Its own request activities under another name, so a tracer provider in this process (an in-process Api) does not trace the receiver's work and export it back here.
        builder.Services.AddSingleton(new ActivitySource("AgentSuite.Tests.OtlpReceiver"));
        var app = builder.Build();
        var receiver = new OtlpReceiver(app, grpc);
        app.MapPost("/v1/traces", context => receiver.ReceiveAsync(context, receiver.ReadTraces));
        app.MapPost("/v1/metrics", context => receiver.ReceiveAsync(context, receiver.ReadMetrics));
        app.MapPost("/v1/logs", context => receiver.ReceiveAsync(context, receiver.ReadLogs));
        app.MapPost("/opentelemetry.proto.collector.trace.v1.TraceService/Export", context => receiver.ReceiveGrpcAsync(context, receiver.ReadTraces));
        app.MapPost("/opentelemetry.proto.collector.metrics.v1.MetricsService/Export", context => receiver.ReceiveGrpcAsync(context, receiver.ReadMetrics));
        app.MapPost("/opentelemetry.proto.collector.logs.v1.LogsService/Export", context => receiver.ReceiveGrpcAsync(context, receiver.ReadLogs));
        await app.StartAsync();
        receiver.Endpoint = new Uri(app.Urls.Single());
        return receiver;
    }

    /// <summary>Waits until the spans received so far satisfy <paramref name="done"/>; fails with what did arrive.</summary>
    public Task<IReadOnlyList<ExportedSpan>> WaitForSpansAsync(Func<IReadOnlyList<ExportedSpan>, bool> done, string what, TimeSpan? timeout = null) =>
        WaitAsync(() => Spans, done, what, timeout);

    public Task<IReadOnlyList<ExportedMetric>> WaitForMetricsAsync(Func<IReadOnlyList<ExportedMetric>, bool> done, string what, TimeSpan? timeout = null) =>
        WaitAsync(() => Metrics, done, what, timeout);

    public Task<IReadOnlyList<ExportedLog>> WaitForLogsAsync(Func<IReadOnlyList<ExportedLog>, bool> done, string what, TimeSpan? timeout = null) =>
        WaitAsync(() => Logs, done, what, timeout);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task<IReadOnlyList<T>> WaitAsync<T>(Func<IReadOnlyList<T>> read, Func<IReadOnlyList<T>, bool> done, string what, TimeSpan? timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var items = read();
            if (done(items))
            {
                return items;
            }

            if (deadline.Elapsed > (timeout ?? TimeSpan.FromSeconds(30)))
            {
                throw new TimeoutException($"The receiver did not get {what} within {deadline.Elapsed.TotalSeconds:0} s. Requests: {string.Join(", ", Requests.Distinct())}. " +
                    $"It got {items.Count}:\n{string.Join('\n', items)}");
            }

            await Task.Delay(50);
        }
    }

    private async Task ReceiveAsync(HttpContext context, Action<ProtoReader> read)
    {
        using var body = new MemoryStream();
        var source = context.Request.Headers.ContentEncoding.ToString() == "gzip" ? new GZipStream(context.Request.Body, CompressionMode.Decompress) : context.Request.Body;
        await source.CopyToAsync(body, context.RequestAborted);
        lock (_requests)
        {
            _requests.Add($"{context.Request.Path} {context.Request.ContentType}");
        }

        if (context.Request.ContentType != "application/x-protobuf")
        {
            context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            return;
        }

        read(new ProtoReader(body.ToArray()));

        // An empty Export*ServiceResponse: everything accepted.
        context.Response.ContentType = "application/x-protobuf";
    }

    /// <summary>One unary gRPC call: a 5-byte frame header (compressed flag, length) before the message; an empty reply and grpc-status 0.</summary>
    private async Task ReceiveGrpcAsync(HttpContext context, Action<ProtoReader> read)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        lock (_requests)
        {
            _requests.Add($"{context.Request.Path} {context.Request.ContentType}");
        }

        var frame = body.ToArray();
        var length = BinaryPrimitives.ReadInt32BigEndian(frame.AsSpan(1));
        var message = frame.AsMemory(5, length);
        read(new ProtoReader(frame[0] == 1 ? Gunzip(message) : message));

        context.Response.ContentType = "application/grpc";
        await context.Response.Body.WriteAsync(new byte[5], context.RequestAborted);
        context.Response.AppendTrailer("grpc-status", "0");
    }

    private static byte[] Gunzip(ReadOnlyMemory<byte> data)
    {
        using var input = new GZipStream(new MemoryStream(data.ToArray()), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }

    // ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1 }
    // ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2 }
    // ScopeSpans { InstrumentationScope scope = 1; repeated Span spans = 2 }
    // Span { bytes trace_id = 1; bytes span_id = 2; bytes parent_span_id = 4; string name = 5; SpanKind kind = 6; repeated KeyValue attributes = 9 }
    private void ReadTraces(ProtoReader request)
    {
        var spans = new List<ExportedSpan>();
        foreach (var (service, scopes) in Resources(request, scopeField: 2))
        {
            foreach (var (scope, items) in scopes)
            {
                foreach (var span in items)
                {
                    string traceId = "", spanId = "", parent = "", name = "";
                    var kind = 0;
                    var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
                    while (span.Next() is { } field)
                    {
                        switch (field)
                        {
                            case 1: traceId = Convert.ToHexStringLower(span.Bytes().Span); break;
                            case 2: spanId = Convert.ToHexStringLower(span.Bytes().Span); break;
                            case 4: parent = Convert.ToHexStringLower(span.Bytes().Span); break;
                            case 5: name = span.String(); break;
                            case 6: kind = (int)span.Varint(); break;
                            case 9: AddAttribute(span.Message(), attributes); break;
                            default: span.Skip(); break;
                        }
                    }

                    spans.Add(new ExportedSpan(service, scope, name, traceId, spanId, parent, kind, attributes));
                }
            }
        }

        Add(_spans, spans);
    }

    // ExportMetricsServiceRequest { repeated ResourceMetrics = 1 } > ResourceMetrics { Resource = 1; repeated ScopeMetrics = 2 }
    // > ScopeMetrics { scope = 1; repeated Metric = 2 } > Metric { string name = 1 }
    private void ReadMetrics(ProtoReader request)
    {
        var metrics = new List<ExportedMetric>();
        foreach (var (service, scopes) in Resources(request, scopeField: 2))
        {
            foreach (var (scope, items) in scopes)
            {
                foreach (var metric in items)
                {
                    var name = "";
                    while (metric.Next() is { } field)
                    {
                        if (field == 1)
                        {
                            name = metric.String();
                        }
                        else
                        {
                            metric.Skip();
                        }
                    }

                    metrics.Add(new ExportedMetric(service, scope, name));
                }
            }
        }

        Add(_metrics, metrics);
    }

    // ExportLogsServiceRequest { repeated ResourceLogs = 1 } > ResourceLogs { Resource = 1; repeated ScopeLogs = 2 }
    // > ScopeLogs { scope = 1 (the logger category); repeated LogRecord = 2 } > LogRecord { AnyValue body = 5; bytes trace_id = 9 }
    private void ReadLogs(ProtoReader request)
    {
        var logs = new List<ExportedLog>();
        foreach (var (service, scopes) in Resources(request, scopeField: 2))
        {
            foreach (var (scope, items) in scopes)
            {
                foreach (var log in items)
                {
                    string body = "", traceId = "";
                    while (log.Next() is { } field)
                    {
                        switch (field)
                        {
                            case 5: body = AnyValue(log.Message()); break;
                            case 9: traceId = Convert.ToHexStringLower(log.Bytes().Span); break;
                            default: log.Skip(); break;
                        }
                    }

                    logs.Add(new ExportedLog(service, scope, body, traceId));
                }
            }
        }

        Add(_logs, logs);
    }

    /// <summary>Each resource's service name with its scopes: the scope's name and its items (spans, metrics or log records).</summary>
    private static IEnumerable<(string Service, List<(string Scope, List<ProtoReader> Items)> Scopes)> Resources(ProtoReader request, int scopeField)
    {
        while (request.Next() is { } field)
        {
            if (field != 1)
            {
                request.Skip();
                continue;
            }

            var resource = request.Message();
            var service = "";
            var scopes = new List<(string, List<ProtoReader>)>();
            while (resource.Next() is { } f)
            {
                if (f == 1)
                {
                    var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
                    var r = resource.Message();
                    while (r.Next() is { } a)
                    {
                        if (a == 1)
                        {
                            AddAttribute(r.Message(), attributes);
                        }
                        else
                        {
                            r.Skip();
                        }
                    }

                    service = attributes.GetValueOrDefault("service.name", "");
                }
                else if (f == scopeField)
                {
                    scopes.Add(Scope(resource.Message()));
                }
                else
                {
                    resource.Skip();
                }
            }

            yield return (service, scopes);
        }
    }

    private static (string Scope, List<ProtoReader> Items) Scope(ProtoReader scopeItems)
    {
        var name = "";
        var items = new List<ProtoReader>();
        while (scopeItems.Next() is { } field)
        {
            if (field == 1)
            {
                var scope = scopeItems.Message();
                while (scope.Next() is { } f)
                {
                    if (f == 1)
                    {
                        name = scope.String();
                    }
                    else
                    {
                        scope.Skip();
                    }
                }
            }
            else if (field == 2)
            {
                items.Add(scopeItems.Message());
            }
            else
            {
                scopeItems.Skip();
            }
        }

        return (name, items);
    }

    // KeyValue { string key = 1; AnyValue value = 2 }
    private static void AddAttribute(ProtoReader keyValue, Dictionary<string, string> attributes)
    {
        string key = "", value = "";
        while (keyValue.Next() is { } field)
        {
            switch (field)
            {
                case 1: key = keyValue.String(); break;
                case 2: value = AnyValue(keyValue.Message()); break;
                default: keyValue.Skip(); break;
            }
        }

        attributes[key] = value;
    }

    // AnyValue { oneof: string string_value = 1; bool bool_value = 2; int64 int_value = 3; double double_value = 4; ... }
    private static string AnyValue(ProtoReader value)
    {
        var text = "";
        while (value.Next() is { } field)
        {
            switch (field)
            {
                case 1: text = value.String(); break;
                case 2: text = value.Varint() != 0 ? "true" : "false"; break;
                case 3: text = ((long)value.Varint()).ToString(System.Globalization.CultureInfo.InvariantCulture); break;
                case 4: text = BitConverter.Int64BitsToDouble((long)value.Fixed64()).ToString(System.Globalization.CultureInfo.InvariantCulture); break;
                default: value.Skip(); break;
            }
        }

        return text;
    }

    private static void Add<T>(List<T> list, List<T> items)
    {
        lock (list)
        {
            list.AddRange(items);
        }
    }

    private static IReadOnlyList<T> Snapshot<T>(List<T> list)
    {
        lock (list)
        {
            return [.. list];
        }
    }

    /// <summary>Just enough of the protobuf wire format: varints, fixed 32/64-bit values and length-delimited fields.</summary>
    private sealed class ProtoReader(ReadOnlyMemory<byte> data)
    {
        private int _position;
        private int _wireType;

        /// <summary>The next field's number, or null at the end.</summary>
        public int? Next()
        {
            if (_position >= data.Length)
            {
                return null;
            }

            var tag = Varint();
            _wireType = (int)(tag & 7);
            return (int)(tag >> 3);
        }

        public ulong Varint()
        {
            ulong value = 0;
            for (var shift = 0; ; shift += 7)
            {
                var b = data.Span[_position++];
                value |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80)
                {
                    return value;
                }
            }
        }

        public ulong Fixed64()
        {
            var value = BinaryPrimitives.ReadUInt64LittleEndian(data.Span[_position..]);
            _position += 8;
            return value;
        }

        public ReadOnlyMemory<byte> Bytes()
        {
            var length = (int)Varint();
            var bytes = data.Slice(_position, length);
            _position += length;
            return bytes;
        }

        public string String() => Encoding.UTF8.GetString(Bytes().Span);

        public ProtoReader Message() => new(Bytes());

        public void Skip()
        {
            switch (_wireType)
            {
                case 0: Varint(); break;
                case 1: _position += 8; break;
                case 2: Bytes(); break;
                case 5: _position += 4; break;
                default: throw new InvalidDataException($"Unsupported protobuf wire type {_wireType}.");
            }
        }
    }
}
