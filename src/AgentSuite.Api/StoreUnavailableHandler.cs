using Microsoft.AspNetCore.Diagnostics;
using Npgsql;

namespace AgentSuite.Api;

/// <summary>
/// A request that failed because the shared store could not be reached (PostgreSQL down, restarting, out of connections,
/// or the connection cut) is answered 503 with problem details and a Retry-After, not a 500: nothing it asked for was
/// done, since every governed step reads the store first and refuses when it cannot.
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
            $"The governance store could not be reached ({outage.Message.TrimEnd('.')}), so nothing was done. Try again shortly; if it persists, check that PostgreSQL is running and reachable at ConnectionStrings:AgentSuite.");
        return true;
    }

    /// <summary>The store failure in <paramref name="exception"/> or its inner exceptions that means the store is unreachable, not that the request was wrong.</summary>
    internal static NpgsqlException? Outage(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                // Connection classes: 08 connection, 53 insufficient resources (too many connections), 57 operator
                // intervention (shutdown, restart), 55000/55P03 the database not accepting connections or a lock not granted in time.
                case PostgresException pg when pg.IsTransient || pg.SqlState is ['0', '8', ..] or ['5', '3', ..] or ['5', '7', ..] or "55000" or "55P03":
                    return pg;
                case PostgresException:
                    return null;
                case NpgsqlException npgsql:
                    return npgsql;
            }
        }

        return null;
    }
}
