using System.Diagnostics;
using System.Globalization;
using System.Text;
using Instrumentation.Exposition;

namespace Instrumentation.Scraping;

/// <summary>
/// Serves scrapes of one gatherer, whatever the host (client_golang's <c>promhttp.HandlerFor</c> is the model):
/// <c>GET</c> and <c>HEAD</c> (other methods get <c>405</c>), the format the <c>Accept</c> header asks for, gzip when
/// <c>Accept-Encoding</c> allows it, <c>name[]</c> query parameters that limit the scrape to the named families, a
/// concurrency limit and a timeout answered with <c>503</c>, continue or fail on gather problems, and the
/// <c>metrics_handler_*</c> self-metrics. <c>MapMetrics</c> and the standalone metrics server both adapt to it, so
/// they cannot drift apart.
/// </summary>
/// <remarks>
/// <para>
/// Scrapes that arrive while a gather runs wait for it and are served from its result (client_golang's
/// <c>CoalesceGather</c>), so several Prometheus replicas scraping at once cost one gather; the result is encoded
/// once per negotiated format and encoding. A scrape that arrives after the gather returned starts a new one, so no
/// scrape is answered with data gathered before the previous scrape's answer.
/// </para>
/// <para>
/// Gathers run on a dedicated background thread, never on a thread-pool worker. A scrape with
/// <see cref="ScrapeHandlerOptions.ScrapeTimeout"/> is answered with <c>503</c> at its deadline, however many scrapes
/// wait; the gather it waited for goes on (collectors cannot be cancelled) and later scrapes wait for that same
/// gather, so a hung collector blocks one thread and at most one gather runs at a time.
/// </para>
/// <para>
/// The body is written into pooled buffers before anything is sent, so an encoding failure can still become a
/// <c>500</c> and every response carries a <c>Content-Length</c> (which <c>HEAD</c> reports without a body).
/// </para>
/// </remarks>
public sealed class ScrapeHandler
{
    private const string PlainText = "text/plain; charset=utf-8";
    private readonly IGatherer _gatherer;
    private readonly ScrapeHandlerOptions _options;
    private readonly ExpositionOptions _exposition;
    private readonly ScrapeHandlerMetrics _metrics;
    private readonly Action<ScrapeProblem>? _report;
    private readonly string? _processStartTime;
    private readonly ScrapePools _pools = new();
    private readonly GatherThread _thread = new();
    private readonly object _lock = new();
    private GatherCycle? _running;
    private int _slotsInUse;

    /// <summary>Creates a handler for <paramref name="gatherer"/>.</summary>
    /// <param name="gatherer">What is scraped (usually the <see cref="Registry"/>).</param>
    /// <param name="options">How scrapes are served; copied, so later changes have no effect. Null for the defaults.</param>
    /// <param name="metricsRegisterer">
    /// Where the <c>metrics_handler_*</c> self-metrics are registered (usually the same registry); handlers given the
    /// same registerer share them. Null to keep them unregistered.
    /// </param>
    /// <param name="reportProblem">Called with what a host would log: gather problems, refused and timed-out scrapes. Must not throw.</param>
    /// <exception cref="ArgumentOutOfRangeException">A limit or timeout in <paramref name="options"/> is out of range.</exception>
    public ScrapeHandler(IGatherer gatherer, ScrapeHandlerOptions? options = null, IRegisterer? metricsRegisterer = null, Action<ScrapeProblem>? reportProblem = null)
    {
        ArgumentNullException.ThrowIfNull(gatherer);
        _options = options?.Clone() ?? new ScrapeHandlerOptions();
        _options.Validate(nameof(ScrapeHandlerOptions));
        _gatherer = gatherer;
        _exposition = new ExpositionOptions
        {
            EnableOpenMetrics = _options.EnableOpenMetrics,
            EnableProtobuf = _options.EnableProtobuf,
            OpenMetricsCreatedSamples = _options.OpenMetricsCreatedSamples,
        };
        _processStartTime = _options.ProcessStartTime?.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        _metrics = metricsRegisterer is null ? ScrapeHandlerMetrics.Unregistered() : ScrapeHandlerMetrics.Register(metricsRegisterer);
        _report = reportProblem;
    }

    /// <summary>
    /// Serves one scrape: writes status, headers and body to <paramref name="response"/>. Returns without an answer when
    /// <paramref name="cancellationToken"/> is cancelled (the scraper went away).
    /// </summary>
    public async Task HandleAsync(ScrapeRequest request, IScrapeResponse response, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(response);
        _metrics.InFlight.Inc();
        try
        {
            var status = await ServeAsync(request, response, cancellationToken).ConfigureAwait(false);
            _metrics.Count(status);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The scraper went away; there is nobody to answer.
        }
        finally
        {
            _metrics.InFlight.Dec();
        }
    }

    private async Task<int> ServeAsync(ScrapeRequest request, IScrapeResponse response, CancellationToken cancellationToken)
    {
        var head = string.Equals(request.Method, "HEAD", StringComparison.OrdinalIgnoreCase);
        if (!head && !string.Equals(request.Method, "GET", StringComparison.OrdinalIgnoreCase))
        {
            response.SetHeader("Allow", "GET, HEAD");
            return await WritePlainAsync(response, 405, "Metrics are served to GET and HEAD requests only.\n", head, cancellationToken).ConfigureAwait(false);
        }
        if (_processStartTime is not null)
        {
            response.SetHeader("Process-Start-Time-Unix", _processStartTime);
        }

        var limit = _options.MaxConcurrentScrapes;
        if (limit > 0 && Interlocked.Increment(ref _slotsInUse) > limit)
        {
            Interlocked.Decrement(ref _slotsInUse);
            Report(ScrapeProblemKind.TooManyScrapes, $"A scrape was refused with 503: {limit} scrape(s) are already being served.");
            return await WritePlainAsync(response, 503, $"Too many concurrent scrapes (the limit is {limit}); try again later.\n", head, cancellationToken).ConfigureAwait(false);
        }

        var cycle = Join();
        try
        {
            if (!await WaitAsync(cycle, cancellationToken).ConfigureAwait(false))
            {
                var timeout = _options.ScrapeTimeout.GetValueOrDefault();
                var running = Stopwatch.GetElapsedTime(cycle.Started);
                Report(ScrapeProblemKind.Timeout, $"A scrape was answered with 503: gathering took longer than {timeout} (the gather has been running for {running.TotalSeconds:0.0} s).");
                return await WritePlainAsync(response, 503,
                    $"Gathering metrics took longer than the scrape timeout of {timeout}. The gather has been running for {running.TotalSeconds:0.0} s; " +
                    "it goes on in the background, and the next scrapes wait for it instead of starting another.\n",
                    head, cancellationToken).ConfigureAwait(false);
            }
            return await WriteResultAsync(cycle, request, response, head, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            cycle.Release();
            // A scrape that leaves its gather running hands its slot to the gather, so that a slow collector holds
            // one slot for as long as it runs.
            if (limit > 0 && !HandSlotToRunningGather(cycle))
            {
                Interlocked.Decrement(ref _slotsInUse);
            }
        }
    }

    /// <summary>The running gather, joined, or a new one started on the gather thread.</summary>
    private GatherCycle Join()
    {
        GatherCycle cycle;
        lock (_lock)
        {
            if (_running is { } running)
            {
                running.AddReference();
                return running;
            }
            cycle = new GatherCycle(_pools);
            _running = cycle;
        }
        _thread.Run(() => RunGather(cycle));
        return cycle;
    }

    private void RunGather(GatherCycle cycle)
    {
        cycle.Gather(_gatherer);
        bool releaseSlot;
        lock (_lock)
        {
            _running = null;
            cycle.GatherReturned = true;
            releaseSlot = cycle.HoldsSlot;
        }
        if (releaseSlot)
        {
            Interlocked.Decrement(ref _slotsInUse);
        }
        cycle.Complete();
        cycle.Release();
    }

    private bool HandSlotToRunningGather(GatherCycle cycle)
    {
        lock (_lock)
        {
            if (cycle.GatherReturned || cycle.HoldsSlot)
            {
                return false;
            }
            cycle.HoldsSlot = true;
            return true;
        }
    }

    /// <summary>Waits for the gather; false when the scrape's timeout came first.</summary>
    private async ValueTask<bool> WaitAsync(GatherCycle cycle, CancellationToken cancellationToken)
    {
        var completion = cycle.Completion;
        if (completion.IsCompleted)
        {
            return true;
        }
        if (_options.ScrapeTimeout is not { } timeout)
        {
            await completion.WaitAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        try
        {
            await completion.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private async Task<int> WriteResultAsync(GatherCycle cycle, ScrapeRequest request, IScrapeResponse response, bool head, CancellationToken cancellationToken)
    {
        if (cycle.Failure is { } failure)
        {
            _metrics.Errors.WithLabels("gathering").Inc();
            var partial = failure as GatherException;
            if (partial is null || _options.ErrorHandling == ScrapeErrorHandling.FailOnError)
            {
                Report(ScrapeProblemKind.GatherFailed, "Gathering metrics failed; the scrape is answered with 500.", failure);
                return await WritePlainAsync(response, 500, "An error has occurred while gathering metrics:\n\n" + failure.Message + "\n", head, cancellationToken).ConfigureAwait(false);
            }
            Report(ScrapeProblemKind.GatherPartial, $"Gathering metrics reported {partial.Errors.Count} problem(s); serving the metrics that gathered cleanly.", partial);
        }

        var format = ExpositionWriter.Negotiate(request.Accept, _exposition);
        var gzip = _options.EnableCompression && ExpositionWriter.AcceptsGzip(request.AcceptEncoding);
        var names = request.NameFilter();
        EncodedBody? own = null;
        try
        {
            ReadOnlyMemory<byte> body;
            Exception? error;
            if (names is null)
            {
                cycle.TryGetBody(format, gzip, _exposition, out body, out error);
            }
            else
            {
                // A filtered scrape is this scraper's own: encoded for it alone, from its own list of families.
                var families = cycle.Families.Where(f => names.Contains(f.Name)).ToList();
                own = new EncodedBody(format, plain: null);
                if (gzip)
                {
                    own = new EncodedBody(format, own);
                }
                own.TryGet(families, _exposition, _pools, out body, out error);
            }

            if (error is not null)
            {
                _metrics.Errors.WithLabels("encoding").Inc();
                Report(ScrapeProblemKind.EncodingFailed, "Encoding metrics failed; the scrape is answered with 500.", error);
                return await WritePlainAsync(response, 500, "An error has occurred while encoding metrics:\n\n" + error.Message + "\n", head, cancellationToken).ConfigureAwait(false);
            }

            response.StatusCode = 200;
            response.ContentType = format.ContentType;
            response.SetHeader("Vary", "Accept, Accept-Encoding");
            if (gzip)
            {
                response.SetHeader("Content-Encoding", "gzip");
            }
            response.ContentLength = body.Length;
            if (!head)
            {
                await response.WriteAsync(body, cancellationToken).ConfigureAwait(false);
            }
            return 200;
        }
        finally
        {
            own?.ReturnWithSource(_pools);
        }
    }

    private static async Task<int> WritePlainAsync(IScrapeResponse response, int statusCode, string text, bool head, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        response.StatusCode = statusCode;
        response.ContentType = PlainText;
        response.ContentLength = bytes.Length;
        if (!head)
        {
            await response.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        }
        return statusCode;
    }

    private void Report(ScrapeProblemKind kind, string message, Exception? exception = null) =>
        _report?.Invoke(new ScrapeProblem(kind, message, exception));
}
