using System.CommandLine;
using System.Text.Json;
using AgentSuite.Cli.Rendering;
using AgentSuite.Governance.Audit;
using Spectre.Console;

namespace AgentSuite.Cli.Commands;

/// <summary><c>agentsuite audit show|search|export|verify|anchor</c>.</summary>
internal static class AuditCommand
{
    public static Command Create(CommandRunner runner, HelpExamples examples, Func<ParseResult, int> showHelp)
    {
        var command = new Command("audit", "The tamper-evident audit trail (role admin)")
        {
            Show(runner, examples),
            Search(runner, examples),
            Export(runner, examples),
            Verify(runner, examples),
            Anchor(runner, examples),
        };
        command.SetAction(showHelp);
        examples.Add(command, "agentsuite audit show conv_0123abcd", "agentsuite audit search --tool 'billing/*' --decision denied",
            "agentsuite audit export --out audit.jsonl", "agentsuite audit verify --file audit.jsonl", "agentsuite audit anchor > anchor.json");
        return command;
    }

    private static Command Show(CommandRunner runner, HelpExamples examples)
    {
        var conversation = new Argument<string>("CONVERSATION_ID") { Description = "The conversation (conv_...), as 'agentsuite chat' prints it" };
        var command = new Command("show", "A conversation's audit trail, indented by hand-off (coordinator → specialist → tool)") { conversation };
        command.SetAction(runner.WithApi(async (api, parse, cancellationToken) =>
        {
            var id = parse.GetValue(conversation)!;
            if (runner.Json(parse))
            {
                runner.WriteJson(await api.GetAuditJsonAsync(id, cancellationToken));
                return ExitCodes.Ok;
            }

            AuditTable.Render(runner.Io.Out, id, await api.GetAuditAsync(id, cancellationToken));
            return ExitCodes.Ok;
        }));
        examples.Add(command, "agentsuite audit show conv_0123abcd", "agentsuite audit show conv_0123abcd --json");
        return command;
    }

    private static Command Search(CommandRunner runner, HelpExamples examples)
    {
        var filters = new AuditFilterOptions();
        var after = new Option<long>("--after-seq") { Description = "Entries after this seq (the last one you have)" };
        var limit = new Option<int>("--limit") { Description = "At most this many entries", DefaultValueFactory = _ => 200 };
        var command = new Command("search", "Audit entries matching every filter given (none: all), in seq order");
        filters.AddTo(command);
        command.Options.Add(after);
        command.Options.Add(limit);
        command.SetAction(runner.WithApi(async (api, parse, cancellationToken) =>
        {
            var take = parse.GetValue(limit);
            if (take < 1)
            {
                throw new UsageException($"--limit must be 1 or more; got {take}.");
            }

            if (runner.Json(parse))
            {
                var (entries, nextAfterSeq) = await api.SearchAuditJsonAsync(filters.Values(parse), parse.GetValue(after), take, cancellationToken);
                // The Api's page of entries, with the X-Next-After-Seq header as a field (absent on the last page).
                runner.WriteJson(new { items = entries, nextAfterSeq });
                return ExitCodes.Ok;
            }

            var (records, next) = await api.SearchAuditAsync(filters.Values(parse), parse.GetValue(after), take, cancellationToken);
            AuditTable.Render(runner.Io.Out, "Audit entries", "No audit entries match.", records,
                next is { } seq ? $"agentsuite audit search ... --after-seq {seq}" : null);
            return ExitCodes.Ok;
        }));
        examples.Add(command, "agentsuite audit search --tool 'billing/*' --decision denied", "agentsuite audit search --principal alice --from 2026-12-06T00:00:00Z",
            "agentsuite audit search --kind approval.requested --json   # {\"items\": [...], \"nextAfterSeq\": 212}");
        return command;
    }

    private static Command Export(CommandRunner runner, HelpExamples examples)
    {
        var filters = new AuditFilterOptions();
        var format = new Option<string>("--format") { Description = "jsonl (JSON Lines, checkable with 'agentsuite audit verify --file') or csv", DefaultValueFactory = _ => "jsonl" };
        format.AcceptOnlyFromAmong("jsonl", "csv");
        var output = new Option<FileInfo?>("--out", "-o") { Description = "Write to this file instead of standard output" };
        var command = new Command("export", "Stream the audit entries matching every filter given (none: all) as JSON Lines or CSV, each with its seq and hashes");
        filters.AddTo(command);
        command.Options.Add(format);
        command.Options.Add(output);
        command.SetAction(runner.WithApi(async (api, parse, cancellationToken) =>
        {
            if (runner.Json(parse) && parse.GetValue(format) != "jsonl")
            {
                throw new UsageException("--json prints JSON Lines, and --format csv asks for CSV: leave out one of them.");
            }

            var file = parse.GetValue(output);
            await api.ExportAuditAsync(filters.Values(parse), parse.GetValue(format)!, async (body, token) =>
            {
                if (file is not null)
                {
                    await using var target = file.Create();
                    await body.CopyToAsync(target, token);
                    return;
                }

                // Raw text, not markup: the export is meant for a file or another program.
                using var reader = new StreamReader(body);
                var writer = runner.Io.Out.Profile.Out.Writer;
                while (await reader.ReadLineAsync(token) is { } line)
                {
                    await writer.WriteLineAsync(line);
                }
            }, cancellationToken);
            return ExitCodes.Ok;
        }));
        examples.Add(command, "agentsuite audit export --tool 'billing/*' --out billing.jsonl", "agentsuite audit export --format csv > audit.csv");
        return command;
    }

    private static Command Verify(CommandRunner runner, HelpExamples examples)
    {
        var file = new Option<FileInfo?>("--file", "-f") { Description = "Check an exported JSON Lines slice instead of the Api's chain: each entry's hash, and the links between consecutive entries" };
        var allowGaps = new Option<bool>("--allow-gaps") { Description = "With --file: the export was filtered, so seq gaps are expected; only consecutive entries are linked" };
        var command = new Command("verify", "Walk the whole hash chain and compare it with its signed anchor; exit code 1 when an entry was edited, deleted, moved or inserted, or the tail is missing") { file, allowGaps };
        command.SetAction(runner.WithApi(async (api, parse, cancellationToken) =>
        {
            if (parse.GetValue(file) is { } slice)
            {
                return await VerifyFileAsync(runner, slice, parse.GetValue(allowGaps), runner.Json(parse), cancellationToken);
            }

            var json = await api.VerifyAuditAsync<JsonElement>(cancellationToken);
            var result = json.Deserialize<Api.AuditVerification>(Api.ApiJson.Options)!;
            if (runner.Json(parse))
            {
                runner.WriteJson(json);
            }
            else if (result.Ok)
            {
                var anchor = result.Anchor is { Status: "matches" } a ? $"; it matches the anchor signed at {Markup.Escape(a.At ?? "?")} ({a.Count} entries)" : "";
                runner.Io.Out.MarkupLine($"[green]The audit chain verifies:[/] {result.Count} entries, head hash {Markup.Escape(result.HeadHash ?? "(none)")}{anchor}");
            }

            if (result.Ok)
            {
                return ExitCodes.Ok;
            }

            var where = result.FirstBadSeq is { } seq ? $" at seq {seq}" : "";
            ErrorView.Message(runner.Io.Error, $"The audit chain does NOT verify{where}: {result.Problem ?? "no reason given"} ({result.Count} entries checked).");
            return ExitCodes.Failed;
        }));
        examples.Add(command, "agentsuite audit verify && echo intact", "agentsuite audit verify --json   # the Api's report; exit code 1 all the same when it fails", "agentsuite audit verify --file audit.jsonl", "agentsuite audit verify --file billing.jsonl --allow-gaps");
        return command;
    }

    private static async Task<int> VerifyFileAsync(CommandRunner runner, FileInfo slice, bool allowGaps, bool json, CancellationToken cancellationToken)
    {
        if (!slice.Exists)
        {
            throw new UsageException($"There is no file {slice.FullName}; export one with: agentsuite audit export --out {slice.Name}");
        }

        using var reader = slice.OpenText();
        var report = await AuditSliceVerifier.VerifyAsync(reader, allowGaps, cancellationToken);
        if (json)
        {
            runner.WriteJson(report);
        }

        if (!report.Ok)
        {
            var where = report.FirstBadSeq is { } seq ? $" at seq {seq}" : "";
            ErrorView.Message(runner.Io.Error, $"{slice.Name} does NOT verify{where}: {report.Problem} ({report.Count} entries checked before it).");
            return ExitCodes.Failed;
        }

        if (json)
        {
            return ExitCodes.Ok;
        }

        var gaps = report.Gaps == 0 ? "" : $"; {report.Gaps} gaps in seq (entries between are not in the file, so those links are not checked)";
        runner.Io.Out.MarkupLine($"[green]{Markup.Escape(slice.Name)} verifies:[/] {report.Count} entries, each hash and each link between consecutive entries{Markup.Escape(gaps)}; last hash {Markup.Escape(report.LastHash ?? "(none)")}");
        return ExitCodes.Ok;
    }

    private static Command Anchor(CommandRunner runner, HelpExamples examples)
    {
        var command = new Command("anchor", "Print the signed anchor of the audit chain's head as JSON, to keep it somewhere the database's writers cannot change");
        command.SetAction(runner.WithApi(async (api, parse, cancellationToken) =>
        {
            // JSON with or without --json: the anchor is meant for a file or another program.
            runner.WriteJson(await api.GetAuditAnchorAsync(cancellationToken));
            return ExitCodes.Ok;
        }));
        examples.Add(command, "agentsuite audit anchor > audit-anchor-$(date +%F).json");
        return command;
    }
}
