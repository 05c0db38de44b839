using AgentSuite.Api.Auth;
using AgentSuite.Api.Contract;
using AgentSuite.Api.Documentation;
using AgentSuite.Governance;
using AgentSuite.Governance.KillSwitch;
using AgentSuite.Governance.Pinning;
using AgentSuite.Mcp;

namespace AgentSuite.Api.Endpoints;

/// <summary>What an operator uses to stop agents and to see, and re-approve, the tools they can reach.</summary>
internal static class GovernanceEndpoints
{
    private const string KillSwitchExample = "{ \"scope\": \"agent:billing\", \"engaged\": true, \"reason\": \"refunds look wrong\" }";

    public static void MapGovernanceEndpoints(this IEndpointRouteBuilder app)
    {
        // Everyone who chats may know that an operator stopped something, so the page can say why tools are refused.
        app.MapGet("/api/kill-switch", EngagedScopesAsync)
            .RequireRole(Roles.User, Roles.Admin)
            .WithTags("Governance")
            .WithSummary("The scopes of the kill switches engaged now")
            .WithDescription("For any user: only the scopes, not who engaged them or why (that is GET /api/governance/kill-switch and the audit, for admins); a principal:NAME scope only to that principal and to admins.")
            .Produces<EngagedScopesView>()
            .ProducesCallerProblems();
        var group = app.MapGroup("/api/governance").RequireRole(Roles.Admin).WithTags("Governance").ProducesCallerProblems();
        group.MapGet("/kill-switch", ListSwitchesAsync)
            .WithSummary("The kill switches engaged now")
            .Produces<KillSwitchesView>();
        group.MapPut("/kill-switch", SetSwitchAsync)
            .WithSummary("Engage or release a kill switch")
            .WithDescription("Scopes: global, agent:NAME, server:NAME, tool:SERVER/TOOL, principal:NAME (one caller by its name or token subject: its tool calls are denied and its ask_NAME calls over MCP refused); it takes effect on the next call. A scope that names no agent, server or tool is refused (400, naming the closest match); an optional reason is kept in the audit. A scope engaged in configuration cannot be released here (409).")
            .AcceptsJson<KillSwitchRequest>()
            .Produces<KillSwitchesView>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/tools", ListToolsAsync)
            .WithSummary("Every tool the MCP servers serve, with its pin")
            .WithDescription("A server that does not answer appears as server/* with available false and the problem.")
            .Produces<IReadOnlyList<ToolView>>();
        group.MapPost("/tools/approve", ApproveToolAsync)
            .WithSummary("Re-approve a tool whose definition changed")
            .AcceptsJson<ApproveToolRequest>()
            .Produces<ToolView>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    // Another caller's principal:NAME switch is not this caller's business (it names who was stopped); an admin sees all.
    private static async Task<IResult> EngagedScopesAsync(KillSwitchService switches, HttpContext http)
    {
        var caller = http.User.ToPrincipal();
        var scopes = (await switches.EngagedScopesAsync(http.RequestAborted))
            .Where(s => caller.IsInRole(Roles.Admin) || KillSwitchScope.PrincipalOf(s) is not { } name || caller.IsSamePersonAs(name));
        return TypedResults.Ok(new EngagedScopesView([.. scopes]));
    }

    private static async Task<IResult> ListSwitchesAsync(KillSwitchService switches, HttpContext http) =>
        TypedResults.Ok(Switches(await switches.ListAsync(http.RequestAborted)));

    private static async Task<IResult> SetSwitchAsync(HttpContext http, KillSwitchService switches, KillSwitchScopes scopes)
    {
        var (body, invalid) = await JsonBody.ReadAsync<KillSwitchRequest>(http.Request, KillSwitchExample);
        if (invalid is not null)
        {
            return invalid;
        }

        if (string.IsNullOrWhiteSpace(body!.Scope) || body.Engaged is not { } engaged)
        {
            return Problems.BadRequest($"Name the scope and whether it is engaged: send {KillSwitchExample}.");
        }

        try
        {
            // Releasing what is engaged is always allowed (an agent since removed, say); anything else must name something that exists.
            var scope = KillSwitchScope.Parse(body.Scope);
            var isEngaged = (await switches.EngagedScopesAsync(http.RequestAborted)).Contains(scope);
            if (!(isEngaged && !engaged) && await scopes.ProblemAsync(scope, http.RequestAborted) is { } unknown)
            {
                return Problems.BadRequest(unknown);
            }

            var reason = string.IsNullOrWhiteSpace(body.Reason) ? null : body.Reason.Trim();
            return TypedResults.Ok(Switches(await switches.SetAsync(scope, engaged, http.User.ToPrincipal(), reason, CancellationToken.None)));
        }
        catch (FormatException ex)
        {
            return Problems.BadRequest(ex.Message);
        }
        catch (InvalidOperationException ex)
        {
            // Engaged in configuration: only a configuration change releases it.
            return Problems.Conflict(ex.Message);
        }
    }

    private static async Task<IResult> ListToolsAsync(McpToolCatalog catalog, ToolPinService pins, HttpContext http)
    {
        var pinned = (await pins.ListAsync(http.RequestAborted)).ToDictionary(p => p.Tool, StringComparer.Ordinal);
        var tools = new SortedDictionary<string, ToolView>(StringComparer.Ordinal);
        foreach (var server in catalog.Servers)
        {
            IReadOnlyList<GovernedTool> served;
            try
            {
                served = await catalog.GetToolsAsync(server, http.RequestAborted);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                tools[server + "/*"] = new ToolView(server + "/*", server, Name: null, Available: false, PinnedHash: null, ObservedHash: null, Blocked: null, ApprovedBy: null, ApprovedAt: null, ex.Message);
                continue;
            }

            foreach (var tool in served)
            {
                var key = tool.Descriptor.Identity.Key;
                tools[key] = View(key, server, pinned.GetValueOrDefault(key));
            }
        }

        foreach (var (key, pin) in pinned.Where(p => !tools.ContainsKey(p.Key)))
        {
            tools[key] = View(key, key.Split('/')[0], pin);
        }

        return TypedResults.Ok(tools.Values.ToList());
    }

    private static async Task<IResult> ApproveToolAsync(HttpContext http, ToolPinService pins)
    {
        var (body, invalid) = await JsonBody.ReadAsync<ApproveToolRequest>(http.Request, "{ \"tool\": \"billing/issue_refund\", \"definitionHash\": \"<observedHash>\" }");
        if (invalid is not null)
        {
            return invalid;
        }

        if (string.IsNullOrWhiteSpace(body!.Tool))
        {
            return Problems.BadRequest("Name the tool to approve as server/tool, e.g. { \"tool\": \"billing/issue_refund\" }.");
        }

        try
        {
            var pin = await pins.ApproveAsync(body.Tool, http.User.ToPrincipal(), body.DefinitionHash, CancellationToken.None);
            return TypedResults.Ok(View(pin.Tool, pin.Tool.Split('/')[0], pin));
        }
        catch (KeyNotFoundException ex)
        {
            return Problems.NotFound(ex.Message);
        }
        catch (InvalidOperationException ex)
        {
            return Problems.Conflict(ex.Message);
        }
    }

    private static KillSwitchesView Switches(IReadOnlyList<KillSwitchState> engaged) =>
        new(engaged.Select(s => new KillSwitchView(s.Scope, s.Source) { ChangedBy = s.ChangedBy, ChangedAt = s.ChangedAt, Reason = s.Reason }).ToList());

    private static ToolView View(string tool, string server, ToolPin? pin) => new(
        tool,
        server,
        tool[(tool.IndexOf('/', StringComparison.Ordinal) + 1)..],
        Available: true,
        pin?.PinnedHash,
        pin?.ObservedHash,
        pin?.IsBlocked ?? false,
        pin?.ApprovedBy,
        pin?.ApprovedAt,
        Problem: null);

    private sealed record KillSwitchRequest(string? Scope, bool? Engaged, string? Reason);

    private sealed record ApproveToolRequest(string? Tool, string? DefinitionHash);
}
