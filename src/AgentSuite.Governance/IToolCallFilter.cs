namespace AgentSuite.Governance;

/// <summary>The rest of the pipeline after a filter: the next filters, then the tool itself.</summary>
public delegate ValueTask<ToolCallOutcome> ToolCallDelegate(ToolCallContext context);

/// <summary>
/// One governance step. A filter either returns a denial without calling <paramref name="next"/>, or calls it and may
/// look at or transform the outcome. Throwing denies the call (fail closed).
/// </summary>
public interface IToolCallFilter
{
    /// <summary>Short stage name used in denials, audit entries and traces, e.g. <c>allow-list</c>.</summary>
    string Name { get; }

    ValueTask<ToolCallOutcome> OnToolCallAsync(ToolCallContext context, ToolCallDelegate next);
}
