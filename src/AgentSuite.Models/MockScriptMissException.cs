using AgentSuite.Governance;

namespace AgentSuite.Models;

/// <summary>
/// The mock script cannot answer this model call: no rule matches the message, a placeholder has no value, the rule has
/// no step left, a tool it calls is not offered, or a pattern timed out. The message is for the developer (where, what is
/// missing, what to add to the script); a customer is shown <see cref="CustomerReply"/> instead, and the turn fails. It is a
/// <see cref="ModelNoAnswerException"/>, the one type the agent runtime recognises, so the runtime needs no mock.
/// Over the OpenAI protocol the mock model server answers it as an error with the code <see cref="ErrorCode"/>.
/// </summary>
public sealed class MockScriptMissException : ModelNoAnswerException
{
    /// <summary>What the customer is told, whatever the script missed: plain, fixed, and free of the script's internals.</summary>
    public const string CustomerReply = DefaultReply;

    /// <summary>The <c>error.code</c> (and <c>error.type</c>) of the mock model server's answer to a script miss.</summary>
    public const string ErrorCode = "mock_script_miss";

    internal MockScriptMissException(string scriptName, string? agent, string? userMessage, int modelCall, MockRule? rule, int line, string problem)
        : this(scriptName, agent, userMessage, modelCall, line, problem, Describe(scriptName, agent, userMessage, modelCall, rule, line, problem))
    {
    }

    /// <summary>A miss another process reported (the mock model server's error answer), with its message as it was worded there.</summary>
    public MockScriptMissException(string scriptName, string? agent, string? userMessage, int modelCall, int line, string problem, string message)
        : base(CustomerReply, message)
    {
        ScriptName = scriptName;
        Line = line;
        Problem = problem;
        Agent = agent;
        UserMessage = userMessage;
        ModelCall = modelCall;
    }

    /// <summary>The file name, or the name given to <see cref="MockScript.Parse"/>.</summary>
    public string ScriptName { get; }

    /// <summary>1-based line of the rule or step that missed; 0 when no line of the script is at fault.</summary>
    public int Line { get; }

    /// <summary>What is missing, without the location.</summary>
    public string Problem { get; }

    /// <summary>The agent whose model call missed; null when the request named none.</summary>
    public string? Agent { get; }

    /// <summary>The latest user message of the request, in full; null when it had none.</summary>
    public string? UserMessage { get; }

    /// <summary>1-based: which model call of the agent's turn missed (the step it would have taken).</summary>
    public int ModelCall { get; }

    /// <summary>The first script miss in <paramref name="exception"/> or the exceptions it wraps; null when there is none.</summary>
    public static new MockScriptMissException? Find(Exception? exception) => ModelNoAnswerException.Find(exception) as MockScriptMissException;

    private static string Describe(string scriptName, string? agent, string? userMessage, int modelCall, MockRule? rule, int line, string problem) =>
        $"The mock script '{scriptName}' has no answer for {MockReplies.AgentLabel(agent)}, user message {(userMessage is null ? "(none)" : ReplayDivergenceException.Quote(userMessage))}, " +
        $"model call {modelCall}{(rule is null ? "" : $" ({rule.Label}{(line != 0 && line != rule.Line ? $", step at line {line}" : "")})")}: {problem}";
}
