using Microsoft.AspNetCore.Diagnostics;
using Npgsql;

namespace AgentSuite.Api;

/// <summary>
/// A request that failed because the shared store could not be reached (PostgreSQL down, restarting, out of connections,
/// the connection cut, or the audit chain's head held too long) is answered 503 with problem details and a Retry-After,
/// not a 500. The answer says what to check, never the server's own message (addresses, hints), which goes to the log.
/// Any other database error (a constraint, a serialization failure, a bug) stays a 500, logged as an error.
/// </summary>
internal sealed class StoreUnavailableHandler(ILogger<StoreUnavailableHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (Outage(exception) is not { } outage || httpContext.Response.HasStarted)
        {
            return false;
        }

        logger.LogWarning(outage, "The governance store could not be reached; {Method} {Path} was refused with 503", httpContext.Request.Method, httpContext.Request.Path);
        httpContext.Response.Headers.RetryAfter = "5";
        await Problems.WriteAsync(httpContext, StatusCodes.Status503ServiceUnavailable, "Store unavailable",
            "The governance store could not be reached, so the request may not have completed. Check its outcome (the conversation, the approval) before repeating it; if this persists, check that PostgreSQL is running and reachable at ConnectionStrings:Governance.");
        return true;
    }

    /// <summary>The store failure in <paramref name="exception"/> or its inner exceptions that means the store is unreachable, not that the request was wrong.</summary>
    internal static NpgsqlException? Outage(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                // 08 connection exceptions, 53300 too many connections, 57P01-57P03 shutdown or not yet accepting
                // connections, 55P03 a lock not granted in time (the audit head), 25P03 a session ended for idling in a
                // transaction, and 55000 only where the server refuses a connection to a database closed to connections.
                case PostgresException pg:
                    return pg.SqlState is ['0', '8', ..] or "53300" or "57P01" or "57P02" or "57P03" or "55P03" or "25P03"
                        || (pg.SqlState == "55000" && pg.Routine is "CheckMyDatabase" or "InitPostgres") ? pg : null;

                // Npgsql's own: unreachable when the socket, a read or a connect (or the pool's wait) failed.
                case NpgsqlException npgsql when npgsql.InnerException is System.Net.Sockets.SocketException or IOException or TimeoutException:
                    return npgsql;
                case NpgsqlException when e.InnerException is PostgresException:
                    continue;
                case NpgsqlException:
                    return null;
            }
        }

        return null;
    }
}
