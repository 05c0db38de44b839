using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace AgentSuite.Cli.Api;

/// <summary>
/// The Api's HTTP contract (docs/api.md) as methods. Errors come back as <see cref="ApiProblemException"/> (the Api
/// said no) or <see cref="ApiUnreachableException"/> (nothing answered).
/// </summary>
public sealed class ApiClient : IDisposable
{
    /// <summary>How long a call other than a turn may take; a turn may wait for a person and has no limit.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(100);

    private const int AuditPageSize = 500;

    private readonly HttpClient _http;
    private readonly Uri _baseAddress;

    public ApiClient(ApiConnection connection, HttpMessageHandler? handler = null)
    {
        _baseAddress = connection.BaseAddress;
        _http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        // Relative paths below ("api/...") keep a base path such as http://host/agentsuite/.
        _http.BaseAddress = connection.BaseAddress.AbsoluteUri.EndsWith('/') ? connection.BaseAddress : new Uri(connection.BaseAddress.AbsoluteUri + "/");
        _http.Timeout = Timeout.InfiniteTimeSpan;
        if (!string.IsNullOrWhiteSpace(connection.Token))
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", connection.Token);
        }
        else if (!string.IsNullOrWhiteSpace(connection.ApiKey))
        {
            _http.DefaultRequestHeaders.Add("X-Api-Key", connection.ApiKey);
        }
        else
        {
            // Without a token or a key the Api is in demo mode, where every change must name its caller.
            _http.DefaultRequestHeaders.Add("X-User", string.IsNullOrWhiteSpace(connection.User) ? ApiConnection.DefaultUser : connection.User);
        }
    }

    public Uri BaseAddress => _baseAddress;

    public async Task<string> CreateConversationAsync(CancellationToken cancellationToken = default) =>
        (await SendAsync<CreatedConversation>(HttpMethod.Post, "api/conversations", new { }, cancellationToken)).Id;

    /// <summary>Sends a message and yields the turn's events as they happen, ending with <c>turn.completed</c> or <c>turn.failed</c>.</summary>
    public async IAsyncEnumerable<TurnEvent> SendMessageAsync(string conversationId, string text, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"api/conversations/{Uri.EscapeDataString(conversationId)}/messages")
        {
            Content = JsonContent.Create(new { text }, options: ApiJson.Options),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var response = await SendCoreAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken, cancellationToken);
        await ApiErrors.ThrowIfFailedAsync(response, cancellationToken);

        if (response.Content.Headers.ContentType?.MediaType != "text/event-stream")
        {
            // An Api (or a proxy) that answers the whole turn as JSON: the same events, all at once.
            var answer = await ReadJsonAsync<TurnAnswer>(response, request, cancellationToken);
            foreach (var e in answer.Events ?? [])
            {
                yield return TurnEvent.FromJson(e);
            }

            yield break;
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        await foreach (var e in TurnEventStream.ReadAsync(stream, cancellationToken))
        {
            yield return e;
        }
    }

    public Task<Conversation> GetConversationAsync(string conversationId, CancellationToken cancellationToken = default) =>
        SendAsync<Conversation>(HttpMethod.Get, $"api/conversations/{Uri.EscapeDataString(conversationId)}", null, cancellationToken);

    /// <summary>
    /// Re-attaches to the conversation's latest turn: yields its events numbered after <paramref name="afterSeq"/> as they
    /// happen, until the turn ends (at once for an ended turn).
    /// </summary>
    public async IAsyncEnumerable<TurnEvent> FollowTurnAsync(string conversationId, long afterSeq, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"api/conversations/{Uri.EscapeDataString(conversationId)}/turns/current/events");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        request.Headers.Add("Last-Event-ID", afterSeq.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var response = await SendCoreAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken, cancellationToken);
        await ApiErrors.ThrowIfFailedAsync(response, cancellationToken);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        await foreach (var e in TurnEventStream.ReadAsync(stream, cancellationToken))
        {
            yield return e;
        }
    }

    /// <summary>One page of conversations, newest first: the caller's own, or anyone's for an admin.</summary>
    public Task<ConversationPage> ListConversationsAsync(ConversationFilter filter, CancellationToken cancellationToken = default) =>
        ListConversationsAsync<ConversationPage>(filter, cancellationToken);

    /// <inheritdoc cref="ListConversationsAsync(ConversationFilter, CancellationToken)"/>
    public Task<T> ListConversationsAsync<T>(ConversationFilter filter, CancellationToken cancellationToken = default) =>
        SendAsync<T>(HttpMethod.Get, "api/conversations?" + filter.ToQuery(), null, cancellationToken);

    public Task<List<Approval>> ListApprovalsAsync(string status, CancellationToken cancellationToken = default) =>
        ListApprovalsAsync<List<Approval>>(status, cancellationToken);

    public Task<T> ListApprovalsAsync<T>(string status, CancellationToken cancellationToken = default) =>
        SendAsync<T>(HttpMethod.Get, $"api/approvals?status={Uri.EscapeDataString(status)}", null, cancellationToken);

    public Task<Approval> DecideAsync(string approvalId, bool approve, string? comment, CancellationToken cancellationToken = default) =>
        DecideAsync<Approval>(approvalId, approve, comment, cancellationToken);

    public Task<T> DecideAsync<T>(string approvalId, bool approve, string? comment, CancellationToken cancellationToken = default) =>
        SendAsync<T>(HttpMethod.Post, $"api/approvals/{Uri.EscapeDataString(approvalId)}/decision", new { approve, comment }, cancellationToken);

    /// <summary>A conversation's whole audit trail, read page by page in sequence order.</summary>
    public async Task<List<AuditRecord>> GetAuditAsync(string conversationId, CancellationToken cancellationToken = default) =>
        [.. (await GetAuditJsonAsync(conversationId, cancellationToken)).Select(ToRecord)];

    /// <summary>A conversation's whole audit trail, each entry as the Api wrote it.</summary>
    public async Task<List<JsonElement>> GetAuditJsonAsync(string conversationId, CancellationToken cancellationToken = default)
    {
        var all = new List<JsonElement>();
        long? afterSeq = null;
        while (true)
        {
            var path = $"api/audit?conversationId={Uri.EscapeDataString(conversationId)}&limit={AuditPageSize}"
                + (afterSeq is { } seq ? $"&afterSeq={seq}" : "");
            var page = await SendAsync<List<JsonElement>>(HttpMethod.Get, path, null, cancellationToken);
            // Stop on an empty page, and on one that does not move forward (an Api that ignores afterSeq).
            if (page.Count == 0 || SeqOf(page[^1]) <= (afterSeq ?? long.MinValue))
            {
                return all;
            }

            all.AddRange(page);
            afterSeq = SeqOf(page[^1]);
        }
    }

    /// <summary>
    /// Entries matching <paramref name="filters"/> after <paramref name="afterSeq"/>, page by page, up to
    /// <paramref name="limit"/>; the seq to continue after when more match, else null.
    /// </summary>
    public async Task<(List<AuditRecord> Records, long? NextAfterSeq)> SearchAuditAsync(
        IEnumerable<KeyValuePair<string, string>> filters, long afterSeq, int limit, CancellationToken cancellationToken = default)
    {
        var (entries, next) = await SearchAuditJsonAsync(filters, afterSeq, limit, cancellationToken);
        return ([.. entries.Select(ToRecord)], next);
    }

    /// <inheritdoc cref="SearchAuditAsync"/>
    public async Task<(List<JsonElement> Entries, long? NextAfterSeq)> SearchAuditJsonAsync(
        IEnumerable<KeyValuePair<string, string>> filters, long afterSeq, int limit, CancellationToken cancellationToken = default)
    {
        var all = new List<JsonElement>();
        var query = Query(filters);
        long? next = afterSeq;
        while (next is { } after && all.Count < limit)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(RequestTimeout);
            var take = Math.Min(AuditPageSize, limit - all.Count);
            using var request = new HttpRequestMessage(HttpMethod.Get, $"api/audit?{query}afterSeq={after}&limit={take}");
            using var response = await SendCoreAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token, cancellationToken);
            await ApiErrors.ThrowIfFailedAsync(response, timeout.Token);
            all.AddRange(await ReadJsonAsync<List<JsonElement>>(response, request, timeout.Token));
            next = response.Headers.TryGetValues("X-Next-After-Seq", out var values) && long.TryParse(values.FirstOrDefault(), out var seq) && seq > after ? seq : null;
        }

        return (all, next);
    }

    /// <summary>Hands <paramref name="read"/> the export of the entries matching <paramref name="filters"/> as the Api streams it.</summary>
    public async Task ExportAuditAsync(IEnumerable<KeyValuePair<string, string>> filters, string format, Func<Stream, CancellationToken, Task> read, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"api/audit/export?{Query(filters)}format={Uri.EscapeDataString(format)}");
        using var response = await SendCoreAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken, cancellationToken);
        await ApiErrors.ThrowIfFailedAsync(response, cancellationToken);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        await read(body, cancellationToken);
    }

    public Task<AuditVerification> VerifyAuditAsync(CancellationToken cancellationToken = default) =>
        VerifyAuditAsync<AuditVerification>(cancellationToken);

    public Task<T> VerifyAuditAsync<T>(CancellationToken cancellationToken = default) =>
        SendAsync<T>(HttpMethod.Get, "api/audit/verify", null, cancellationToken);

    /// <summary>The signed anchor of the audit chain's head, as the Api exports it.</summary>
    public Task<JsonElement> GetAuditAnchorAsync(CancellationToken cancellationToken = default) =>
        SendAsync<JsonElement>(HttpMethod.Get, "api/audit/anchor", null, cancellationToken);

    public Task<OperationsMetrics> GetOperationsMetricsAsync(string? at, CancellationToken cancellationToken = default) =>
        GetOperationsMetricsAsync<OperationsMetrics>(at, cancellationToken);

    public Task<T> GetOperationsMetricsAsync<T>(string? at, CancellationToken cancellationToken = default) =>
        SendAsync<T>(HttpMethod.Get, MetricsPath(at), null, cancellationToken);

    public Task<KillSwitchState> GetKillSwitchesAsync(CancellationToken cancellationToken = default) =>
        GetKillSwitchesAsync<KillSwitchState>(cancellationToken);

    public Task<T> GetKillSwitchesAsync<T>(CancellationToken cancellationToken = default) =>
        SendAsync<T>(HttpMethod.Get, "api/governance/kill-switch", null, cancellationToken);

    public Task<KillSwitchState> SetKillSwitchAsync(string scope, bool engaged, string? reason = null, CancellationToken cancellationToken = default) =>
        SetKillSwitchAsync<KillSwitchState>(scope, engaged, reason, cancellationToken);

    public Task<T> SetKillSwitchAsync<T>(string scope, bool engaged, string? reason = null, CancellationToken cancellationToken = default) =>
        SendAsync<T>(HttpMethod.Put, "api/governance/kill-switch", reason is null ? new { scope, engaged } : new { scope, engaged, reason }, cancellationToken);

    public Task<SystemStatus> GetStatusAsync(CancellationToken cancellationToken = default) =>
        GetStatusAsync<SystemStatus>(cancellationToken);

    public Task<T> GetStatusAsync<T>(CancellationToken cancellationToken = default) =>
        SendAsync<T>(HttpMethod.Get, "api/status", null, cancellationToken);

    /// <summary>A tool's approved and latest seen definitions; <paramref name="tool"/> is <c>server/name</c>.</summary>
    public Task<ToolDefinitions> GetToolDefinitionsAsync(string tool, CancellationToken cancellationToken = default) =>
        GetToolDefinitionsAsync<ToolDefinitions>(tool, cancellationToken);

    /// <inheritdoc cref="GetToolDefinitionsAsync(string, CancellationToken)"/>
    public Task<T> GetToolDefinitionsAsync<T>(string tool, CancellationToken cancellationToken = default)
    {
        var slash = tool.IndexOf('/', StringComparison.Ordinal);
        var (server, name) = slash > 0 ? (tool[..slash], tool[(slash + 1)..]) : (tool, "");
        return SendAsync<T>(HttpMethod.Get, $"api/governance/tools/{Uri.EscapeDataString(server)}/{Uri.EscapeDataString(name)}/definition", null, cancellationToken);
    }

    public Task<ToolPinApproval> ApproveToolAsync(string tool, string? definitionHash, CancellationToken cancellationToken = default) =>
        ApproveToolAsync<ToolPinApproval>(tool, definitionHash, cancellationToken);

    public Task<T> ApproveToolAsync<T>(string tool, string? definitionHash, CancellationToken cancellationToken = default) =>
        SendAsync<T>(HttpMethod.Post, "api/governance/tools/approve", definitionHash is null ? new { tool } : new { tool, definitionHash }, cancellationToken);

    public Task<Identity> GetIdentityAsync(CancellationToken cancellationToken = default) =>
        GetIdentityAsync<Identity>(cancellationToken);

    public Task<T> GetIdentityAsync<T>(CancellationToken cancellationToken = default) =>
        SendAsync<T>(HttpMethod.Get, "api/me", null, cancellationToken);

    public void Dispose() => _http.Dispose();

    private async Task<T> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RequestTimeout);
        using var request = new HttpRequestMessage(method, path)
        {
            Content = body is null ? null : JsonContent.Create(body, options: ApiJson.Options),
        };
        using var response = await SendCoreAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token, cancellationToken);
        await ApiErrors.ThrowIfFailedAsync(response, timeout.Token);
        return await ReadJsonAsync<T>(response, request, timeout.Token);
    }

    private async Task<HttpResponseMessage> SendCoreAsync(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken token, CancellationToken callerToken)
    {
        try
        {
            return await _http.SendAsync(request, completion, token);
        }
        catch (HttpRequestException ex)
        {
            throw new ApiUnreachableException(_baseAddress, Describe(ex), ex);
        }
        catch (OperationCanceledException ex) when (!callerToken.IsCancellationRequested)
        {
            throw new ApiUnreachableException(_baseAddress, $"no answer within {RequestTimeout.TotalSeconds:0} s", ex);
        }
    }

    private static async Task<T> ReadJsonAsync<T>(HttpResponseMessage response, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        try
        {
            var value = await response.Content.ReadFromJsonAsync<T>(ApiJson.Options, cancellationToken);
            return value ?? throw new ApiProblemException(status, "Empty answer", $"{request.Method} {request.RequestUri} answered with no content.");
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException)
        {
            throw new ApiProblemException(status, "Unexpected answer",
                $"{request.Method} {request.RequestUri} did not answer with the JSON the CLI expects ({ex.Message}). Is --url the AgentSuite Api?");
        }
    }

    private static long SeqOf(JsonElement entry) =>
        entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty("seq", out var seq) && seq.TryGetInt64(out var value) ? value : long.MinValue;

    private static AuditRecord ToRecord(JsonElement entry) =>
        entry.Deserialize<AuditRecord>(ApiJson.Options) ?? throw new JsonException("An audit entry is null.");

    private static string MetricsPath(string? at) => at is null ? "api/status/metrics" : $"api/status/metrics?at={Uri.EscapeDataString(at)}";

    private static string Query(IEnumerable<KeyValuePair<string, string>> parameters) =>
        string.Concat(parameters.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}&"));

    private static string Describe(HttpRequestException ex) => ex.HttpRequestError switch
    {
        HttpRequestError.ConnectionError => "nothing is listening there (" + (ex.InnerException?.Message ?? ex.Message) + ")",
        HttpRequestError.NameResolutionError => "the host name does not resolve",
        HttpRequestError.SecureConnectionError => "the TLS handshake failed (" + ex.Message + ")",
        _ => ex.Message,
    };
}
