namespace AgentSuite.Models;

/// <summary>
/// A mock script that cannot be used: the message names the script, the line and what to change. A replay that
/// diverged from its recording is the subclass <see cref="ReplayDivergenceException"/>.
/// </summary>
public class MockScriptException : Exception
{
    public MockScriptException(string scriptName, int line, int column, string problem, Exception? innerException = null)
        : this(scriptName, line, column, problem, $"{scriptName}, line {line}, column {column}: {problem}", innerException)
    {
    }

    /// <summary>For a subclass that words the whole message itself.</summary>
    protected MockScriptException(string scriptName, int line, int column, string problem, string message, Exception? innerException)
        : base(message, innerException)
    {
        ScriptName = scriptName;
        Line = line;
        Column = column;
        Problem = problem;
    }

    /// <summary>The file name, or the name given to <see cref="MockScript.Parse"/>.</summary>
    public string ScriptName { get; }

    /// <summary>1-based line of the offending YAML node; 0 when no line of the script is at fault.</summary>
    public int Line { get; }

    public int Column { get; }

    /// <summary>What is wrong, without the location.</summary>
    public string Problem { get; }
}
