namespace AgentSuite.Governance.Telemetry;

/// <summary>The <c>AgentSuite:Telemetry</c> configuration section. Reloaded on change.</summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "AgentSuite:Telemetry";

    /// <summary>
    /// Record content on spans: the messages sent to and received from the model, tool-call arguments and results,
    /// governance reasons, and the principal's name. Off by default: traces often reach people and systems that may
    /// not see what a user wrote. When on, everything recorded first passes the governance secret redactor.
    /// </summary>
    public bool RecordSensitiveData { get; set; }
}
