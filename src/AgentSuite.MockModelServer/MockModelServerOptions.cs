namespace AgentSuite.MockModelServer;

/// <summary>The <c>MockModel</c> configuration section: which script answers, how it names its calls, and the key callers must send.</summary>
public sealed class MockModelServerOptions
{
    public const string Section = "MockModel";

    /// <summary>Where the server listens unless <c>--urls</c>, <c>ASPNETCORE_URLS</c> or Kestrel's settings say otherwise.</summary>
    public const string DefaultUrls = "http://127.0.0.1:5090";

    /// <summary>The mock script file; empty means the demo script of the sample domain.</summary>
    public string? Script { get; set; }

    /// <summary><c>sequential</c> (the default: <c>call_1</c>, <c>call_2</c>, ...) or <c>random</c> (new ids on every answer, as a real model's).</summary>
    public string? CallIds { get; set; }

    /// <summary>When set, every /v1 request must carry <c>Authorization: Bearer</c> this key. Never logged.</summary>
    public string? ApiKey { get; set; }
}
