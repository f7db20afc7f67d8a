using System.Buffers;
using System.IO.Compression;
using Instrumentation.Exposition;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Instrumentation.AspNetCore;

/// <summary>
/// Serves one scrape: gathers the registry, picks the format the scraper asked for, and writes it (gzipped when
/// allowed). Terminal: it is the whole pipeline of the endpoint <c>MapMetrics</c> maps.
/// </summary>
/// <remarks>
/// Each scrape rents a <see cref="GatherBuffer"/> and an output buffer from a small pool, so a steady-state scrape
/// reuses the previous one's storage. The exposition is written into the output buffer before anything is sent, so an
/// encoding failure can still become a <c>500</c> and the response carries a <c>Content-Length</c> (which HEAD
/// reports without a body). Invalid options throw when the endpoint is mapped, not at the first scrape.
/// </remarks>
internal sealed partial class MetricsEndpointMiddleware
{
    private readonly MetricsEndpointOptions _options;
    private readonly ExpositionOptions _exposition;
    private readonly IGatherer _gatherer;
    private readonly MetricsEndpointMetrics _metrics;
    private readonly ILogger _logger;
    private readonly ScrapeBufferPool _pool = new();
    private int _scrapesInFlight;

    public MetricsEndpointMiddleware(RequestDelegate next, IOptions<MetricsEndpointOptions> options, IGatherer gatherer,
        MetricsEndpointMetrics metrics, ILogger<MetricsEndpointMiddleware> logger)
    {
        _ = next; // Terminal middleware.
        _options = options.Value;
        _exposition = ScrapeEncoding.ToExpositionOptions(_options);
        _gatherer = gatherer;
        _metrics = metrics;
        _logger = logger;
        if (_options.MaxConcurrentScrapes < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), _options.MaxConcurrentScrapes, "MetricsEndpointOptions.MaxConcurrentScrapes must be 0 (no limit) or more.");
        }
        if (_options.ScrapeTimeout is { } timeout && timeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), timeout, "MetricsEndpointOptions.ScrapeTimeout must be positive (or null for no limit).");
        }
    }

    public async Task InvokeAsync(HttpContext context)
    {
        _metrics.InFlight.Inc();
        try
        {
            await ServeAsync(context);
            _metrics.Requests.WithLabels(StatusCodeLabels.Of(context.Response.StatusCode)).Inc();
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The scraper went away; there is nobody to answer.
        }
        finally
        {
            _metrics.InFlight.Dec();
        }
    }

    private async Task ServeAsync(HttpContext context)
    {
        var limit = _options.MaxConcurrentScrapes;
        if (limit > 0 && Interlocked.Increment(ref _scrapesInFlight) > limit)
        {
            Interlocked.Decrement(ref _scrapesInFlight);
            LogTooManyScrapes(_logger, limit);
            await WritePlainAsync(context, StatusCodes.Status503ServiceUnavailable, $"Too many concurrent scrapes (the limit is {limit}); try again later.\n");
            return;
        }

        var buffers = _pool.Rent();
        Task<GatherResult>? gathering = null;
        try
        {
            GatherResult result;
            if (_options.ScrapeTimeout is { } timeout)
            {
                gathering = Task.Run(() => Gather(buffers), CancellationToken.None);
                try
                {
                    result = await gathering.WaitAsync(timeout, context.RequestAborted);
                }
                catch (TimeoutException)
                {
                    LogTimeout(_logger, timeout);
                    await WritePlainAsync(context, StatusCodes.Status503ServiceUnavailable, $"Gathering metrics took longer than the scrape timeout of {timeout}.\n");
                    return;
                }
            }
            else
            {
                result = Gather(buffers);
            }

            if (result.Failure is { } failure)
            {
                _metrics.Errors.WithLabels("gathering").Inc();
                var partial = failure as GatherException;
                if (partial is null || _options.ErrorHandling == MetricsErrorHandling.FailOnError)
                {
                    LogGatherFailed(_logger, failure);
                    await WritePlainAsync(context, StatusCodes.Status500InternalServerError, "An error has occurred while gathering metrics:\n\n" + failure.Message + "\n");
                    return;
                }
                LogGatherPartial(_logger, partial.Errors.Count, partial);
            }
            await WriteMetricsAsync(context, result.Families, buffers.Output);
        }
        finally
        {
            Finish(gathering, buffers, releaseSlot: limit > 0);
        }
    }

    /// <summary>
    /// Frees the scrape's slot and buffers — at once, or, when the scrape was abandoned while its gather still runs,
    /// when the gather returns: the gather still writes into the buffers, and scrapes that keep timing out must not
    /// pile up work behind slow collectors.
    /// </summary>
    private void Finish(Task? gathering, ScrapeBuffers buffers, bool releaseSlot)
    {
        if (gathering is null || gathering.IsCompleted)
        {
            Release(buffers, releaseSlot);
            return;
        }
        gathering.ContinueWith((_, state) => Release((ScrapeBuffers)state!, releaseSlot),
            buffers, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private void Release(ScrapeBuffers buffers, bool releaseSlot)
    {
        _pool.Return(buffers);
        if (releaseSlot)
        {
            Interlocked.Decrement(ref _scrapesInFlight);
        }
    }

    private GatherResult Gather(ScrapeBuffers buffers)
    {
        try
        {
            return new GatherResult(_gatherer.Gather(buffers.Gather), null);
        }
        catch (GatherException ex)
        {
            return new GatherResult(ex.Families, ex);
        }
        catch (Exception ex)
        {
            return new GatherResult([], ex);
        }
    }

    private async Task WriteMetricsAsync(HttpContext context, IReadOnlyList<MetricFamily> families, ArrayBufferWriter<byte> buffer)
    {
        var request = context.Request;
        var format = ScrapeEncoding.Negotiate(request.Headers.Accept.ToString(), _exposition);
        try
        {
            ScrapeEncoding.Write(buffer, families, format, _exposition);
        }
        catch (Exception ex)
        {
            _metrics.Errors.WithLabels("encoding").Inc();
            LogEncodingFailed(_logger, ex);
            await WritePlainAsync(context, StatusCodes.Status500InternalServerError, "An error has occurred while encoding metrics:\n\n" + ex.Message + "\n");
            return;
        }

        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = format.ContentType;
        response.Headers.Vary = "Accept, Accept-Encoding";
        var isHead = HttpMethods.IsHead(request.Method);
        if (_options.EnableCompression && ScrapeEncoding.AcceptsGzip(request.Headers.AcceptEncoding.ToString()))
        {
            response.Headers.ContentEncoding = "gzip";
            if (isHead)
            {
                return;
            }
            await using var gzip = new GZipStream(response.Body, CompressionLevel.Fastest, leaveOpen: true);
            await gzip.WriteAsync(buffer.WrittenMemory, context.RequestAborted);
            return;
        }
        response.ContentLength = buffer.WrittenCount;
        if (!isHead)
        {
            await response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted);
        }
    }

    private static Task WritePlainAsync(HttpContext context, int statusCode, string text)
    {
        var response = context.Response;
        response.StatusCode = statusCode;
        response.ContentType = "text/plain; charset=utf-8";
        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : response.WriteAsync(text, context.RequestAborted);
    }

    private readonly record struct GatherResult(IReadOnlyList<MetricFamily> Families, Exception? Failure);

    [LoggerMessage(1, LogLevel.Warning, "Gathering metrics reported {ErrorCount} problem(s); serving the metrics that gathered cleanly.")]
    private static partial void LogGatherPartial(ILogger logger, int errorCount, Exception exception);

    [LoggerMessage(2, LogLevel.Error, "Gathering metrics failed; the scrape is answered with 500.")]
    private static partial void LogGatherFailed(ILogger logger, Exception exception);

    [LoggerMessage(3, LogLevel.Error, "Encoding metrics failed; the scrape is answered with 500.")]
    private static partial void LogEncodingFailed(ILogger logger, Exception exception);

    [LoggerMessage(4, LogLevel.Warning, "A scrape was refused with 503: {Limit} scrape(s) are already being served.")]
    private static partial void LogTooManyScrapes(ILogger logger, int limit);

    [LoggerMessage(5, LogLevel.Warning, "A scrape was abandoned with 503: gathering took longer than {Timeout}.")]
    private static partial void LogTimeout(ILogger logger, TimeSpan timeout);
}
