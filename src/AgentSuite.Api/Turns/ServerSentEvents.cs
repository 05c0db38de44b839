using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace AgentSuite.Api.Turns;

/// <summary>
/// Writes a turn's events as <c>text/event-stream</c> while the turn runs: <c>id</c>, <c>event</c> and one <c>data</c>
/// line of JSON per event, and a comment line as a keep-alive while nothing happens (an approval can take minutes).
/// A reader who goes away stops the writing, never the turn.
/// </summary>
internal static class ServerSentEvents
{
    public const string ContentType = "text/event-stream";

    public static async Task WriteAsync(HttpContext http, TurnEventStream events, TimeSpan keepAlive)
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
            await http.Response.WriteAsync(": events of this turn follow\n\n", aborted);
            await http.Response.Body.FlushAsync(aborted);
            var reader = events.Live;
            while (true)
            {
                using var idle = CancellationTokenSource.CreateLinkedTokenSource(aborted);
                idle.CancelAfter(keepAlive);
                bool more;
                try
                {
                    more = await reader.WaitToReadAsync(idle.Token);
                }
                catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
                {
                    await http.Response.WriteAsync(": keep-alive\n\n", aborted);
                    await http.Response.Body.FlushAsync(aborted);
                    continue;
                }

                if (!more)
                {
                    return;
                }

                while (reader.TryRead(out var e))
                {
                    await http.Response.WriteAsync($"id: {e.Seq}\nevent: {e.Type}\ndata: {JsonSerializer.Serialize(e, json)}\n\n", aborted);
                }

                await http.Response.Body.FlushAsync(aborted);
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The reader left; the turn goes on and its outcome is kept in the conversation and the audit.
        }
    }
}
