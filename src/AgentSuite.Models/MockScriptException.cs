namespace AgentSuite.Models;

/// <summary>A mock script that cannot be used: the message names the script, the line and what to change.</summary>
public sealed class MockScriptException : Exception
{
    public MockScriptException(string scriptName, int line, int column, string problem, Exception? innerException = null)
        : base($"{scriptName}, line {line}, column {column}: {problem}", innerException)
    {
        ScriptName = scriptName;
        Line = line;
        Column = column;
        Problem = problem;
    }

    /// <summary>The file name, or the name given to <see cref="MockScript.Parse"/>.</summary>
    public string ScriptName { get; }

    /// <summary>1-based line of the offending YAML node.</summary>
    public int Line { get; }

    public int Column { get; }

    /// <summary>What is wrong, without the location.</summary>
    public string Problem { get; }
}
