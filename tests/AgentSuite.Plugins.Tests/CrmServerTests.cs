using AgentSuite.Plugins.Tests.Support;

namespace AgentSuite.Plugins.Tests;

/// <summary>The CRM server over real stdio; tests that change data open their own cases.</summary>
public sealed class CrmServerTests(CrmFixture fixture) : IClassFixture<CrmFixture>
{
    private StdioPlugin Server => fixture.Server;

    [Fact]
    public async Task ListsCrmToolsWithDescriptionsAndAnnotations()
    {
        var tools = (await Server.Client.ListToolsAsync(cancellationToken: Timeouts.CallToken())).ToDictionary(t => t.Name, t => t.ProtocolTool);

        Assert.Equal(["create_case", "escalate_case", "find_customer", "get_case"], tools.Keys.Order());
        Assert.All(tools.Values, t => Assert.False(string.IsNullOrWhiteSpace(t.Description)));
        Assert.True(tools["find_customer"].Annotations!.ReadOnlyHint);
        Assert.True(tools["get_case"].Annotations!.ReadOnlyHint);
        Assert.False(tools["create_case"].Annotations!.ReadOnlyHint);
        Assert.False(tools["create_case"].Annotations!.DestructiveHint);
        Assert.False(tools["create_case"].Annotations!.IdempotentHint);
        Assert.False(tools["escalate_case"].Annotations!.ReadOnlyHint);
        Assert.False(tools["escalate_case"].Annotations!.DestructiveHint);
    }

    [Theory]
    [InlineData("CUST-7")]
    [InlineData("cust-7")]
    [InlineData("DANA@example.com")]
    [InlineData("whit")]
    public async Task FindCustomerMatchesIdEmailOrNameFragment(string query)
    {
        var search = (await Server.Client.CallAsync("find_customer", ("query", query))).Json();

        var customer = Assert.Single(search.GetProperty("matches").EnumerateArray());
        Assert.Equal("CUST-7", customer.Text("customer_id"));
        Assert.Equal("Dana Whitfield", customer.Text("name"));
        Assert.Equal("dana@example.com", customer.Text("email"));
    }

    [Fact]
    public async Task FindCustomerWithoutMatchSaysHowToSearch()
    {
        var search = (await Server.Client.CallAsync("find_customer", ("query", "nobody-here"))).Json();

        Assert.Empty(search.GetProperty("matches").EnumerateArray());
        Assert.Contains("Search by customer id", search.Text("note"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreatedCaseCanBeReadBack()
    {
        var created = (await Server.Client.CallAsync("create_case",
            ("customer_id", "CUST-7"), ("subject", "Cannot log in"), ("description", "Password reset mail never arrives."))).Json();

        var caseId = created.Text("case_id");
        Assert.StartsWith("CASE-", caseId, StringComparison.Ordinal);
        var read = (await Server.Client.CallAsync("get_case", ("case_id", caseId))).Json();
        Assert.Equal("CUST-7", read.Text("customer_id"));
        Assert.Equal("Cannot log in", read.Text("subject"));
        Assert.Equal("open", read.Text("status"));
        Assert.Equal("opened", Assert.Single(read.GetProperty("history").EnumerateArray()).Text("kind"));
    }

    [Fact]
    public async Task CreatingTheSameCaseTwiceOpensTwoCases()
    {
        (string, object?)[] request = [("customer_id", "CUST-12"), ("subject", "Export fails"), ("description", "CSV export times out.")];

        var first = (await Server.Client.CallAsync("create_case", request)).Json();
        var second = (await Server.Client.CallAsync("create_case", request)).Json();

        Assert.NotEqual(first.Text("case_id"), second.Text("case_id"));
    }

    [Fact]
    public async Task EscalatedCaseIsHighPriorityAndRecordsTheReason()
    {
        var created = (await Server.Client.CallAsync("create_case",
            ("customer_id", "CUST-21"), ("subject", "Refund of 900"), ("description", "Asks for a refund above the agent's limit."))).Json();

        var escalated = (await Server.Client.CallAsync("escalate_case",
            ("case_id", created.Text("case_id")), ("reason", "refund above the agent's limit"))).Json();

        Assert.Equal("escalated", escalated.Text("status"));
        Assert.Equal("high", escalated.Text("priority"));
        var last = escalated.GetProperty("history").EnumerateArray().Last();
        Assert.Equal("escalated", last.Text("kind"));
        Assert.Equal("refund above the agent's limit", last.Text("detail"));
    }

    [Fact]
    public async Task ClosedCaseCannotBeEscalated()
    {
        var error = (await Server.Client.CallAsync("escalate_case", ("case_id", "CASE-501"), ("reason", "customer unhappy"))).Error();

        Assert.Contains("Case CASE-501 is closed", error, StringComparison.Ordinal);
        Assert.Contains("create_case", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CaseForUnknownCustomerIsRefused()
    {
        var error = (await Server.Client.CallAsync("create_case",
            ("customer_id", "CUST-404"), ("subject", "Anything"), ("description", "Anything."))).Error();

        Assert.Contains("Customer 'CUST-404' does not exist", error, StringComparison.Ordinal);
        Assert.Contains("find_customer", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownCaseGivesAnErrorSayingWhatToDo()
    {
        var error = (await Server.Client.CallAsync("get_case", ("case_id", "CASE-9999"))).Error();

        Assert.Contains("Case 'CASE-9999' does not exist", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EmptySubjectIsRefused()
    {
        var error = (await Server.Client.CallAsync("create_case", ("customer_id", "CUST-7"), ("subject", "  "), ("description", "x"))).Error();

        Assert.Contains("subject is empty", error, StringComparison.Ordinal);
    }
}
