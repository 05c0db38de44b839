namespace AgentSuite.Governance;

/// <summary>
/// A model that has no answer for this call (the demo model's script cannot be followed, or a remote agent's model had
/// none). The turn fails: the customer is told <see cref="Reply"/>, and the message is the developer's detail, for the
/// turn's failure reason and the log. Model clients throw a subclass; the agent runtime only knows this type.
/// </summary>
public class ModelNoAnswerException : Exception
{
    /// <summary>What the customer is told when a model has no answer: plain, fixed, and free of any internals.</summary>
    public const string DefaultReply = "Sorry, the demo model has no answer for that.";

    public ModelNoAnswerException(string detail)
        : this(DefaultReply, detail, null)
    {
    }

    public ModelNoAnswerException(string reply, string detail, Exception? innerException = null)
        : base(detail, innerException)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reply);
        Reply = reply;
    }

    /// <summary>The customer-facing sentence; the developer detail is <see cref="Exception.Message"/>.</summary>
    public string Reply { get; }

    /// <summary>The first no-answer in <paramref name="exception"/> or the exceptions it wraps; null when there is none.</summary>
    public static ModelNoAnswerException? Find(Exception? exception) => exception switch
    {
        null => null,
        ModelNoAnswerException none => none,
        AggregateException all => all.InnerExceptions.Select(Find).FirstOrDefault(m => m is not null),
        _ => Find(exception.InnerException),
    };
}
