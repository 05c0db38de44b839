using System.Text.Json;
using AgentSuite.Api.Auth;
using AgentSuite.Api.Contract;
using AgentSuite.Api.Documentation;
using AgentSuite.Api.Status;
using AgentSuite.Governance;
using AgentSuite.Governance.Budgets;
using AgentSuite.Governance.Cluster;
using AgentSuite.Governance.Configuration;
using AgentSuite.Governance.KillSwitch;
using AgentSuite.Governance.Pinning;
using AgentSuite.Mcp;
using Microsoft.Extensions.Options;

namespace AgentSuite.Api.Endpoints;

/// <summary>What is running and under which policy (admin): instances, servers, tool pins, model, policy version, kill switches.</summary>
internal static class StatusEndpoints
{
    public static void MapStatusEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/status", StatusAsync)
            .RequireRole(Roles.Admin)
            .WithTags("Status")
            .WithSummary("What is running: the Api instances sharing the store, MCP servers, tool pins, the model, the policy version, engaged kill switches, today's token budgets")
            .WithDescription("Servers as the status monitor last checked them (every Mcp:StatusInterval), so the answer never waits on a slow server.")
            .Produces<StatusView>()
            .ProducesCallerProblems();
        app.MapGet("/api/governance/tools/{server}/{name}/definition", DefinitionAsync)
            .RequireRole(Roles.Admin)
            .WithTags("Governance")
            .WithSummary("A tool's approved and latest seen definitions, to review a change before re-approving it")
            .Produces<ToolDefinitionView>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesCallerProblems();
    }

    private static async Task<IResult> StatusAsync(
        HttpContext http,
        InstanceIdentity instance,
        IInstanceRegistry registry,
        McpServerMonitor monitor,
        IOptions<McpOptions> mcp,
        ToolPinService pins,
        ModelDescription model,
        GovernancePolicyProvider policies,
        KillSwitchService switches,
        TokenBudgetService budgets)
    {
        var servers = mcp.Value.Servers.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s =>
        {
            var status = monitor.Status(s.Key);
            var state = status is null ? "unknown" : status.Live ? "live" : "down";
            return new ServerStatusView(s.Key, s.Value.Url is null ? "stdio" : "http", status?.Live, state, status?.Tools ?? [], status?.CheckedAt, status?.LastError, status?.LastErrorAt);
        }).ToList();
        var tools = (await pins.ListAsync(http.RequestAborted))
            .Select(p => new ToolPinView(p.Tool, ServerOf(p.Tool), p.PinnedHash, p.ObservedHash, p.IsBlocked, p.ApprovedBy, p.ApprovedAt, p.ObservedAt))
            .ToList();
        var version = policies.Version;
        var engaged = (await switches.ListAsync(http.RequestAborted))
            .Select(s => new EngagedSwitchView(s.Scope, s.Source, s.ChangedBy, s.ChangedAt, s.Reason))
            .ToList();
        var spending = (await budgets.TodayAsync(http.RequestAborted))
            .Select(b => new TokenBudgetView(b.Principal, b.Day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), b.InputTokens, b.OutputTokens, b.Spent, b.Limit, b.Limit is { } limit ? Math.Max(0, limit - b.Spent) : null, b.Exceeded))
            .ToList();
        var instances = await InstancesAsync(instance, registry, version, http.RequestAborted);
        return TypedResults.Ok(new StatusView(
            new InstanceView(instance.Name, instance.StartedAt),
            servers,
            tools,
            new ModelView(model.Provider, model.Name, model.Endpoint),
            new PolicyView(version.Version, version.LoadedAt, policies.Current.Error),
            engaged,
            spending,
            instances));
    }

    // This instance is always listed, even before its first heartbeat reached the store, with the policy in force now.
    private static async Task<List<InstanceStatusView>> InstancesAsync(InstanceIdentity self, IInstanceRegistry registry, GovernancePolicyVersion policy, CancellationToken cancellationToken)
    {
        var instances = (await registry.ListAsync(cancellationToken))
            .Select(i => i.Name == self.Name
                ? new InstanceStatusView(i.Name, i.StartedAt, i.LastSeen, policy.Version, policy.LoadedAt, i.Version, Gone: false, This: true)
                : new InstanceStatusView(i.Name, i.StartedAt, i.LastSeen, i.PolicyVersion, i.PolicyLoadedAt, i.Version, i.Gone, This: false))
            .ToList();
        if (!instances.Any(i => i.This))
        {
            instances.Insert(0, new InstanceStatusView(self.Name, self.StartedAt, DateTimeOffset.UtcNow, policy.Version, policy.LoadedAt, self.Version, Gone: false, This: true));
        }

        return instances;
    }

    private static async Task<IResult> DefinitionAsync(string server, string name, ToolPinService pins, HttpContext http)
    {
        var tool = $"{server}/{name}";
        if (await pins.GetAsync(tool, http.RequestAborted) is not { } pin)
        {
            return Problems.NotFound($"No tool '{tool}' has been seen; GET /api/status lists the tools with pins.");
        }

        return TypedResults.Ok(new ToolDefinitionView(pin.Tool, pin.IsBlocked, pin.PinnedHash, pin.ObservedHash, Parse(pin.PinnedDefinition), Parse(pin.ObservedDefinition)));
    }

    private static string ServerOf(string tool) => tool[..Math.Max(0, tool.IndexOf('/', StringComparison.Ordinal))];

    private static JsonElement? Parse(string? definition) => definition is null ? null : JsonSerializer.Deserialize<JsonElement>(definition);
}
