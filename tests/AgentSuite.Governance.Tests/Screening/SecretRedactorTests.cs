using System.Text.Json.Nodes;
using AgentSuite.Governance.Screening;

namespace AgentSuite.Governance.Tests.Screening;

public sealed class SecretRedactorTests
{
    private const string M = SecretRedactor.Mask;
    private static readonly SecretRedactor Redactor = new();

    private static (string Text, int Count) Redact(string text, SecretRedactor? redactor = null)
    {
        var result = (redactor ?? Redactor).Redact(text, out var count);
        return (result, count);
    }

    private static (string Json, int Count) RedactJson(string json)
    {
        var count = 0;
        var result = Redactor.Redact(JsonNode.Parse(json), ref count);
        return (result!.ToJsonString(), count);
    }

    [Fact]
    public void PlainTextIsUnchangedAndCountIsZero()
    {
        const string text = "The build finished in 42s with 3 warnings; see https://example.com/log for details.";

        var result = Redactor.Redact(text, out var count);

        Assert.Same(text, result);
        Assert.Equal(0, count);
    }

    [Fact]
    public void BearerTokenIsMaskedButWordKept() =>
        Assert.Equal(($"curl sent Bearer {M} upstream", 1), Redact("curl sent Bearer abc123DEF456ghi789.xyz upstream"));

    [Fact]
    public void AuthorizationHeaderValueIsMaskedWholeAndCountedOnce() =>
        Assert.Equal(($"Authorization: {M}\nAccept: */*", 1), Redact("Authorization: Bearer abc123DEF456ghi789\nAccept: */*"));

    [Fact]
    public void OpenAiKeyIsMasked() =>
        Assert.Equal(($"using {M} now", 1), Redact("using sk-proj-Ab3dEf6hIj9kLm2oPq5sTu8w now"));

    [Theory]
    [InlineData("AKIAIOSFODNN7EXAMPLE")]
    [InlineData("ASIAY34FZKBOKMUTVV7A")]
    public void AwsAccessKeyIdIsMasked(string keyId) =>
        Assert.Equal(($"id={M};", 1), Redact($"id={keyId};"));

    [Theory]
    [InlineData("ghp_0123456789abcdefghijABCDEFGHIJ")]
    [InlineData("gho_0123456789abcdefghij0123")]
    [InlineData("github_pat_11ABCDEFG0123456789_abcdefghijklmnop")]
    public void GitHubTokenIsMasked(string token) =>
        Assert.Equal(($"remote uses {M} for push", 1), Redact($"remote uses {token} for push"));

    [Fact]
    public void SlackTokenIsMasked() =>
        Assert.Equal(($"slack {M} posted", 1), Redact("slack xoxb-123456789012-abcdefABCDEF posted"));

    [Fact]
    public void JwtIsMasked() =>
        Assert.Equal(($"session {M} expires", 1),
            Redact("session eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U expires"));

    [Fact]
    public void PemPrivateKeyBlockIsMasked()
    {
        const string text = "before\n-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA7\nq8Zx==\n-----END RSA PRIVATE KEY-----\nafter";

        Assert.Equal(($"before\n{M}\nafter", 1), Redact(text));
    }

    [Fact]
    public void TruncatedPemPrivateKeyIsMaskedToTheEnd() =>
        Assert.Equal(($"key: {M}", 1), Redact("key: -----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA"));

    [Theory]
    [InlineData("password=hunter2 then", "password=" + M + " then")]
    [InlineData("Api-Key: abc123 ok", "Api-Key: " + M + " ok")]
    [InlineData("?client_secret=s3cr3t&scope=read", "?client_secret=" + M + "&scope=read")]
    [InlineData("{\"access_token\": \"tok en\"}", "{\"access_token\": \"" + M + "\"}")]
    [InlineData("token: 'abc'", "token: '" + M + "'")]
    [InlineData("DB_PASSWORD=hunter2", "DB_PASSWORD=" + M)]
    public void SecretNamedKeyValuePairMasksOnlyTheValue(string text, string expected) =>
        Assert.Equal((expected, 1), Redact(text));

    [Theory]
    [InlineData("the bearer of bad news")]
    [InlineData("see task-abcdefghijklmnopqrstuvwxyz")]
    [InlineData("next_page_token=abc123")]
    [InlineData("passwords: 3 rotated")]
    [InlineData("PWD=/home/app")]
    [InlineData("https://host:8443/v2@latest")]
    public void LookalikesOfSecretsAreKept(string text) =>
        Assert.Equal((text, 0), Redact(text));

    [Theory]
    [InlineData("Server=db;User Id=sa;Password=p@ss word;Encrypt=true", "Server=db;User Id=sa;Password=" + M + ";Encrypt=true")]
    [InlineData("Data Source=x;Uid=app;Pwd=s3cret", "Data Source=x;Uid=app;Pwd=" + M)]
    [InlineData("Pwd = a b ;Server=db", "Pwd = " + M + " ;Server=db")]
    public void ConnectionStringPasswordIsMasked(string text, string expected) =>
        Assert.Equal((expected, 1), Redact(text));

    [Fact]
    public void UrlCredentialPasswordIsMasked() =>
        Assert.Equal(($"postgres://app:{M}@db:5432/orders", 1), Redact("postgres://app:s3cr3t@db:5432/orders"));

    [Theory]
    [InlineData("4111111111111111")]
    [InlineData("4111 1111 1111 1111")]
    [InlineData("5500-0000-0000-0004")]
    [InlineData("378282246310005")]
    public void CardNumberPassingLuhnIsMasked(string card) =>
        Assert.Equal(($"card {M}, thanks", 1), Redact($"card {card}, thanks"));

    [Theory]
    [InlineData("invoice 4111111111111112 paid")]
    [InlineData("call +1 555 123 4567 890 today")]
    [InlineData("order 2024-0115-0042-7782")]
    public void DigitRunFailingLuhnIsKept(string text) =>
        Assert.Equal((text, 0), Redact(text));

    [Theory]
    [InlineData("order 2024-01-15-0042-7781")]
    [InlineData("id 00000000-0000-0000-0000-000000000000")]
    [InlineData("ids 12345678 12346")]
    [InlineData("id 41111111111111111111111")]
    public void DigitGroupsUnlikeAPrintedCardAreKeptEvenIfTheyPassLuhn(string text) =>
        Assert.Equal((text, 0), Redact(text));

    [Fact]
    public void CardNumberNextToOtherDigitsIsStillFound() =>
        Assert.Equal(($"ref 12 {M} 2024", 1), Redact("ref 12 4111 1111 1111 1111 2024"));

    [Fact]
    public void EachSecretIsCounted() =>
        Assert.Equal(($"a {M} b {M} c password={M}", 3),
            Redact("a AKIAIOSFODNN7EXAMPLE b 4111111111111111 c password=x"));

    [Fact]
    public void RedactedTextRedactsToItselfWithZeroCount()
    {
        var (once, _) = Redact("Authorization: Bearer abc123DEF456ghi789 password=\"x\" sk-abcdefghijklmnopqrstuvwxyz");

        Assert.Equal((once, 0), Redact(once));
    }

    [Fact]
    public void SecretNamedPropertyIsMaskedWhateverItsType()
    {
        var (json, count) = RedactJson("""{"password":1234,"Api-Key":{"a":1},"TOKEN":["x"],"client_secret":null,"name":"bob"}""");

        Assert.Equal($$"""{"password":"{{M}}","Api-Key":"{{M}}","TOKEN":"{{M}}","client_secret":"{{M}}","name":"bob"}""", json);
        Assert.Equal(4, count);
    }

    [Fact]
    public void CompoundSecretPropertyNameIsMaskedButPageTokenIsKept()
    {
        var (json, count) = RedactJson("""{"dbPassword":"x","X-Api-Key":"y","next_page_token":"abc"}""");

        Assert.Equal($$"""{"dbPassword":"{{M}}","X-Api-Key":"{{M}}","next_page_token":"abc"}""", json);
        Assert.Equal(2, count);
    }

    [Fact]
    public void NestedJsonStringsAreRedacted()
    {
        var (json, count) = RedactJson(
            """{"items":[{"note":"use Bearer abc123DEF456ghi789"},{"deep":{"keys":["sk-abcdefghijklmnopqrstuvwxyz","plain"]}}],"n":3}""");

        Assert.Equal($$$"""{"items":[{"note":"use Bearer {{{M}}}"},{"deep":{"keys":["{{{M}}}","plain"]}}],"n":3}""", json);
        Assert.Equal(2, count);
    }

    [Fact]
    public void CardNumberStoredAsJsonNumberIsMasked()
    {
        var (json, count) = RedactJson("""{"pan":4111111111111111,"qty":12}""");

        Assert.Equal($$"""{"pan":"{{M}}","qty":12}""", json);
        Assert.Equal(1, count);
    }

    [Fact]
    public void RedactingJsonKeepsUnaffectedNodesAndAccumulatesCount()
    {
        var node = JsonNode.Parse("""{"a":"sk-abcdefghijklmnopqrstuvwxyz","b":"fine"}""")!;
        var b = node["b"];
        var count = 5;

        var result = Redactor.Redact(node, ref count);

        Assert.Same(node, result);
        Assert.Equal(M, (string?)result!["a"]);
        Assert.Same(b, result["b"]);
        Assert.Equal(6, count);
    }

    [Fact]
    public void RootJsonStringIsReplacedByANewNode()
    {
        var count = 0;
        var node = JsonValue.Create("password=hunter2");

        var result = Redactor.Redact(node, ref count);

        Assert.Equal($"password={M}", result!.GetValue<string>());
        Assert.Equal("password=hunter2", node.GetValue<string>());
        Assert.Equal(1, count);
    }

    [Fact]
    public void NullJsonNodeStaysNull()
    {
        var count = 0;

        Assert.Null(Redactor.Redact(null, ref count));
        Assert.Equal(0, count);
    }

    [Fact]
    public void ExtraConfiguredPatternIsApplied() =>
        Assert.Equal(($"employee {M} joined", 1), Redact("employee EMP-123456 joined", new SecretRedactor([@"EMP-\d{6}"])));

    [Fact]
    public void SecretGroupInExtraPatternLimitsTheMask() =>
        Assert.Equal(($"pin={M} ok", 1), Redact("pin=1234 ok", new SecretRedactor([@"pin=(?<secret>\d{4})"])));

    [Fact]
    public void DefaultsCanBeTurnedOff() =>
        Assert.Equal(($"sk-abcdefghijklmnopqrstuvwxyz {M}", 1),
            Redact("sk-abcdefghijklmnopqrstuvwxyz internal-host", new SecretRedactor(["internal-host"], useDefaults: false)));

    [Theory]
    [InlineData("(unclosed")]
    [InlineData("[z-a]")]
    [InlineData(" ")]
    public void InvalidExtraPatternNamesIt(string pattern)
    {
        var ex = Assert.Throws<ArgumentException>(() => new SecretRedactor(["ok", pattern]));

        Assert.Contains($"'{pattern}'", ex.Message, StringComparison.Ordinal);
        Assert.Equal("extraPatterns", ex.ParamName);
    }

    [Fact]
    public void PatternThatTimesOutMasksTheWholeText() =>
        Assert.Equal((M, 1), Redact(new string('a', 64) + "!", new SecretRedactor([@"^(a|aa)+$"])));

    [Fact]
    public void ConcurrentCallsGiveTheSameResult()
    {
        const string text = "Bearer abc123DEF456ghi789 and 4111111111111111";
        var results = new string[64];

        Parallel.For(0, results.Length, i => results[i] = Redactor.Redact(text, out _));

        Assert.All(results, r => Assert.Equal($"Bearer {M} and {M}", r));
    }
}
