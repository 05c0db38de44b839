namespace AgentSuite.Governance.Admission;

/// <summary>A turn refused before it started: the governance policy is in error, or a kill switch stops its principal.</summary>
public sealed class TurnRefusedException : Exception
{
    public TurnRefusedException()
    {
    }

    public TurnRefusedException(string message)
        : base(message)
    {
    }

    public TurnRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public TurnRefusedException(string message, bool policyError)
        : base(message)
    {
        PolicyError = policyError;
    }

    /// <summary>True when the governance configuration is unusable (no caller can be served until it is fixed); false for a kill switch.</summary>
    public bool PolicyError { get; }
}
