using System.Text.RegularExpressions;
using AgentSuite.Api.Tests.Support;
using AgentSuite.Plugins.Tests.Support;
using Microsoft.Data.Sqlite;

namespace AgentSuite.Api.Tests;

/// <summary>
/// samples/CustomerAgent, built and run as its own process against a real Api for a few quick attempts: each line it
/// prints says what the Api did, as the Api's own record of the conversations shows.
/// </summary>
public sealed partial class CustomerAgentSampleTests
{
    private const string BotKey = "customer-bot-key-0123456789";

    [Fact]
    public async Task TheSampleAsksForTheRefundThenRetriesRephrasedAndEachLineSaysWhatTheApiRecorded()
    {
        await using var api = await StartAsync();

        var run = await RunSampleAsync(api, "--key", BotKey, "--attempts", "4", "--spacing", "0.1", "--wait-seconds", "30");

        Assert.True(run.ExitCode == 0, $"exit code {run.ExitCode}\n{run.Output}\n{run.Error}");
        var lines = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(5, lines.Length);
        var attempts = lines[..4].Select(l => AttemptLine().Match(l)).ToList();
        Assert.All(attempts, a => Assert.True(a.Success, $"not an attempt line:\n{run.Output}"));
        Assert.Equal(["1", "2", "3", "4"], attempts.Select(a => a.Groups["n"].Value));

        // The first asks in a new conversation and is answered with the refund; retries alternate with and without it.
        Assert.Equal(("new conversation", "answered"), (attempts[0].Groups["where"].Value, attempts[0].Groups["outcome"].Value));
        Assert.Matches(@"^Refunded 49\.00 USD for the duplicate charge CH-2 on INV-1002; the refund id is RF-\d+\. \(conversation_id conv_\w+\)$", attempts[0].Groups["detail"].Value);
        var first = ConversationIn(attempts[0].Groups["detail"].Value);
        Assert.Equal(
            [$"same conversation {first}", "new conversation", $"same conversation {first}"],
            attempts.Skip(1).Select(a => a.Groups["where"].Value));

        // Every answered line is the reply the Api recorded in the conversation it names; anything else gives its reason.
        using var bot = api.ClientWithKey(BotKey);
        foreach (var attempt in attempts)
        {
            var detail = attempt.Groups["detail"].Value;
            Assert.NotEmpty(detail);
            if (attempt.Groups["outcome"].Value == "answered")
            {
                var conversation = ConversationIn(detail);
                var messages = (await bot.GetJsonAsync($"/api/conversations/{conversation}")).GetProperty("messages").EnumerateArray().ToList();
                var reply = messages[^1];
                Assert.NotEqual("user", reply.GetProperty("role").GetString());
                Assert.Equal($"{Regex.Replace(reply.GetProperty("text").GetString()!, @"\s+", " ").Trim()} (conversation_id {conversation})", detail);
            }
        }

        var listed = (await bot.GetJsonAsync("/api/conversations")).GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetString()).ToList();
        Assert.All(attempts.Where(a => a.Groups["outcome"].Value == "answered"), a => Assert.Contains(ConversationIn(a.Groups["detail"].Value), listed));
        Assert.Matches(@"^summary: 4 attempts: \d+ answered(, \d+ [a-z ]+)*$", lines[4]);

        // Paid once: 49.00 needs no approval (none was asked for), so no turn is left to pay later, and Billing's own file
        // holds exactly the refunds the answers named, one.
        Assert.DoesNotContain(attempts, a => a.Groups["outcome"].Value is "waiting for approval" or "still running");
        using var bob = api.ClientWithKey(DeskKeys.Bob);
        Assert.Empty((await bob.GetJsonAsync("/api/approvals?status=all")).EnumerateArray());
        var told = attempts.Select(a => RefundId().Match(a.Groups["detail"].Value)).Where(m => m.Success).Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.Single(told);
        Assert.Equal(told, RefundsFor(api.DataFolder, "INV-1002"));
    }

    [Fact]
    public async Task WithAKeyTheApiDoesNotKnowTheSampleStopsAtOnceWithThe401()
    {
        await using var api = await StartAsync();

        var run = await RunSampleAsync(api, "--key", "not-a-key-0123456789", "--attempts", "3", "--spacing", "0");

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith($"cannot connect to {new Uri(api.BaseAddress, "/mcp")}: ", run.Output, StringComparison.Ordinal);
        Assert.Contains("401", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("attempt 1/3", run.Output, StringComparison.Ordinal);
    }

    private static Task<ApiServer> StartAsync()
    {
        var settings = DeskKeys.Settings();
        settings["Auth:Keys:3:Key"] = BotKey;
        settings["Auth:Keys:3:Name"] = "customer-bot";
        settings["Auth:Keys:3:Roles:0"] = "user";
        settings["AgentServer:Agents:coordinator:Roles:0"] = "user";
        return ApiServer.StartAsync(settings);
    }

    private static Task<CommandRun> RunSampleAsync(ApiServer api, params string[] arguments) =>
        CommandRun.RunAsync("dotnet", [BuiltPlugins.DllPath("CustomerAgent"), "--url", new Uri(api.BaseAddress, "/mcp").ToString(), .. arguments], ApiServer.RepositoryRoot, Timeouts.Start);

    /// <summary>The ids of the refunds on <paramref name="invoice"/> in Billing's own data file, which must exist.</summary>
    private static List<string> RefundsFor(string dataFolder, string invoice)
    {
        var file = Path.Combine(dataFolder, "billing.db");
        Assert.True(File.Exists(file), $"Billing's data file {file} does not exist.");
        using var connection = new SqliteConnection($"Data Source={file};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id FROM refunds WHERE invoice_id = $invoice ORDER BY seq";
        command.Parameters.AddWithValue("$invoice", invoice);
        using var reader = command.ExecuteReader();
        var ids = new List<string>();
        while (reader.Read())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    private static string ConversationIn(string text) => Regex.Match(text, @"\(conversation_id (conv_\w+)\)$").Groups[1].Value;

    [GeneratedRegex(@"the refund id is (RF-\d+)")]
    private static partial Regex RefundId();

    [GeneratedRegex(@"^attempt (?<n>\d+)/4 \((?<where>new conversation|same conversation conv_\w+)\): (?<outcome>answered|waiting for approval|still running|not sent|refused|failed) - (?<detail>.+)$")]
    private static partial Regex AttemptLine();
}
