using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using AgentSuite.Governance.Telemetry;

namespace AgentSuite.Agents.Tests;

/// <summary>
/// Records the spans and metric measurements of one test's own trace. Tests run in parallel in one process, so it
/// starts a root activity (standing in for the HTTP request's span) in the caller's flow and keeps only spans with
/// that trace id, and only measurements recorded while one of them was current.
/// </summary>
public sealed class TraceRecorder : IDisposable
{
    private static readonly string[] Sources = [AppTelemetry.Name, "Experimental.ModelContextProtocol"];

    private readonly ActivityListener _spans;
    private readonly MeterListener _meters = new();
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ConcurrentQueue<RecordedMeasurement> _measurements = new();

    public TraceRecorder()
    {
        Root = new Activity("test turn").SetIdFormat(ActivityIdFormat.W3C).Start();
        var trace = Root.TraceId;
        _spans = new ActivityListener
        {
            ShouldListenTo = source => Sources.Contains(source.Name),
            Sample = (ref ActivityCreationOptions<ActivityContext> options) =>
                options.Parent.TraceId == trace ? ActivitySamplingResult.AllDataAndRecorded : ActivitySamplingResult.None,
            ActivityStopped = activity =>
            {
                if (activity.TraceId == trace)
                {
                    _stopped.Enqueue(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(_spans);

        _meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == AppTelemetry.Name)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _meters.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));

        // Microsoft.Extensions.AI's token-usage histogram counts in int.
        _meters.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Record(instrument, value, tags));
        _meters.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _meters.Start();
    }

    /// <summary>The test's root span: the parent of the turn's first span.</summary>
    public Activity Root { get; }

    public IReadOnlyList<Activity> Spans => [.. _stopped];

    public IReadOnlyList<RecordedMeasurement> Measurements => [.. _measurements];

    public IReadOnlyList<RecordedMeasurement> Measured(string instrument) => [.. _measurements.Where(m => m.Instrument == instrument)];

    public void Dispose()
    {
        _meters.Dispose();
        _spans.Dispose();
        Root.Stop();
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        // Synchronous: the recording flow's current span says whose measurement this is.
        if (Activity.Current?.TraceId == Root.TraceId)
        {
            _measurements.Enqueue(new RecordedMeasurement(instrument.Name, value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value)));
        }
    }
}

public sealed record RecordedMeasurement(string Instrument, double Value, IReadOnlyDictionary<string, object?> Tags)
{
    public string? Tag(string name) => Tags.TryGetValue(name, out var value) ? value?.ToString() : null;
}
