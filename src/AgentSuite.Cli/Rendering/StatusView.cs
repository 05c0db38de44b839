using AgentSuite.Cli.Api;
using Spectre.Console;
using static AgentSuite.Cli.Rendering.Display;

namespace AgentSuite.Cli.Rendering;

/// <summary>
/// <c>agentsuite status</c>: the Api instance, model and policy version, then each MCP server live or down with its
/// last error, the blocked tools (with the command to review each), the engaged kill switches, each principal's
/// model tokens today against its daily budget, and the Api instances sharing the store with the policy each runs.
/// </summary>
public static class StatusView
{
    public static void Render(IAnsiConsole console, SystemStatus status)
    {
        if (status.Instance is { } instance)
        {
            console.MarkupLine($"[bold]Api[/] {Escape(instance.Name)} [grey](started {Time(instance.StartedAt)})[/]");
        }

        if (status.Model is { } model)
        {
            var endpoint = model.Endpoint is { } e ? $" at {Escape(e)}" : "";
            console.MarkupLine($"[bold]Model[/] {Escape(model.Provider)} {Escape(model.Name)}{endpoint}");
        }

        if (status.Policy is { } policy)
        {
            console.MarkupLine($"[bold]Policy[/] {Escape(policy.Version)} [grey](in force since {Time(policy.LoadedAt)})[/]");
            if (policy.Error is { } error)
            {
                console.MarkupLine($"  [red]{Escape(error)}[/]");
            }
        }

        console.WriteLine();
        Servers(console, status.Servers ?? []);
        console.WriteLine();
        Tools(console, status.Tools ?? []);
        console.WriteLine();
        Switches(console, status.KillSwitches ?? []);
        console.WriteLine();
        Budgets(console, status.Budgets ?? []);
        if (status.Instances is { Count: > 0 } instances)
        {
            console.WriteLine();
            Instances(console, instances, status.Policy?.Version);
        }
    }

    private static void Instances(IAnsiConsole console, IReadOnlyList<ApiInstanceStatus> instances, string? ownPolicy)
    {
        console.MarkupLine($"[bold]Api instances[/] [grey]({instances.Count(i => !i.Gone)} of {instances.Count} live; gone when not seen for a minute)[/]");
        var table = new Table().Border(TableBorder.Rounded).AddColumns("Instance", "Started", "Last seen", "Policy", "State");
        foreach (var i in instances)
        {
            var name = Escape(i.Name) + (i.This ? " [grey](this one)[/]" : "");
            var policy = i.PolicyVersion is not { } v ? "" : ownPolicy is not null && v != ownPolicy ? $"[red]{Escape(v)} (differs)[/]" : Escape(v);
            table.AddRow(name, Time(i.StartedAt), Time(i.LastSeen), policy, i.Gone ? "[red]gone[/]" : "[green]live[/]");
        }

        console.Write(table);
    }

    private static void Budgets(IAnsiConsole console, IReadOnlyList<TokenBudget> budgets)
    {
        if (budgets.Count == 0)
        {
            console.MarkupLine("[bold]Token budgets[/] [grey](no principal has spent model tokens today, UTC)[/]");
            return;
        }

        console.MarkupLine($"[bold]Token budgets today[/] [grey]({Escape(budgets[0].Day ?? "UTC")}, {budgets.Count(b => b.Exceeded)} spent)[/]");
        var table = new Table().Border(TableBorder.Rounded).AddColumns("Principal", "Spent", "Limit", "Remaining");
        foreach (var b in budgets)
        {
            var limit = b.Limit is { } l ? Count(l) : "unlimited";
            var remaining = b.Exceeded ? "[red]0 (spent)[/]" : b.Remaining is { } r ? Count(r) : "";
            table.AddRow(Escape(b.Principal), Count(b.Spent), limit, remaining);
        }

        console.Write(table);
    }

    private static string Count(long value) => value.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);

    private static void Servers(IAnsiConsole console, IReadOnlyList<ServerStatus> servers)
    {
        console.MarkupLine($"[bold]MCP servers[/] [grey]({servers.Count(s => s.Live == true)} of {servers.Count} live)[/]");
        var table = new Table().Border(TableBorder.Rounded).AddColumns("Server", "Transport", "State", "Tools", "Last error");
        foreach (var s in servers)
        {
            var state = s.Live switch { true => "[green]live[/]", false => "[red]down[/]", null => "[grey]not checked yet[/]" };
            var error = s.LastError is { } e ? $"{Time(s.LastErrorAt)} {Escape(e)}" : "";
            table.AddRow(Escape(s.Name), Escape(s.Transport), state, (s.Tools?.Count ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture), error);
        }

        console.Write(table);
    }

    private static void Tools(IAnsiConsole console, IReadOnlyList<ToolPinStatus> tools)
    {
        var blocked = tools.Where(t => t.Blocked).ToList();
        console.MarkupLine($"[bold]Tools[/] [grey]({tools.Count} pinned, {blocked.Count} blocked)[/]");
        if (blocked.Count == 0)
        {
            console.MarkupLine("[green]No tool is blocked: every definition served is the one approved.[/]");
            return;
        }

        foreach (var t in blocked)
        {
            var why = t.PinnedHash is null ? "never approved" : "its definition changed since it was approved";
            console.MarkupLine($"[red]blocked[/] {Escape(t.Tool)} [grey]({why}; review: agentsuite tools diff {Escape(t.Tool)})[/]");
        }
    }

    private static void Switches(IAnsiConsole console, IReadOnlyList<EngagedSwitch> switches)
    {
        if (switches.Count == 0)
        {
            console.MarkupLine("[green]No kill switch is engaged.[/]");
            return;
        }

        console.MarkupLine($"[bold]Kill switches engaged[/] [grey]({switches.Count})[/]");
        foreach (var s in switches)
        {
            var who = s.EngagedBy is { } by ? $" by {Escape(by)} at {Time(s.EngagedAt)}" : s.Source == "configuration" ? " in configuration" : "";
            var why = s.Reason is { } reason ? $": {Escape(reason)}" : "";
            console.MarkupLine($"[red]{Escape(s.Scope)}[/]{who}{why}");
        }
    }
}
