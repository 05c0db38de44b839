using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace AgentSuite.Api.Turns;

/// <summary>
/// Writes a turn's events as <c>text/event-stream</c> while the turn runs: <c>id</c>, <c>event</c> and one <c>data</c>
/// line of JSON per event, and a comment line as a keep-alive while nothing happens (an approval can take minutes).
/// A reader who goes away stops the writing, never the turn; one who comes back names the last event it saw.
/// </summary>
internal static class ServerSentEvents
{
    public const string ContentType = "text/event-stream";

    public static async Task WriteAsync(HttpContext http, TurnEventStream events, TimeSpan keepAlive, long afterSeq = 0)
    {
        var json = http.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = ContentType;
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers["X-Accel-Buffering"] = "no";
        var aborted = http.RequestAborted;
        try
        {
            await http.Response.WriteAsync($": events of turn {events.RunId ?? "(starting)"} follow\n\n", aborted);
            await http.Response.Body.FlushAsync(aborted);
            var last = afterSeq;
            while (true)
            {
                var (batch, ended, changed) = events.After(last);
                foreach (var e in batch)
                {
                    await http.Response.WriteAsync($"id: {e.Seq}\nevent: {e.Type}\ndata: {JsonSerializer.Serialize(e, json)}\n\n", aborted);
                    last = e.Seq;
                }

                await http.Response.Body.FlushAsync(aborted);
                if (ended && batch.Count == 0)
                {
                    return;
                }

                if (batch.Count == 0)
                {
                    try
                    {
                        await changed.WaitAsync(keepAlive, aborted);
                    }
                    catch (TimeoutException)
                    {
                        await http.Response.WriteAsync(": keep-alive\n\n", aborted);
                        await http.Response.Body.FlushAsync(aborted);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The reader left; the turn goes on and its outcome is kept in the conversation and the audit.
        }
    }
}
