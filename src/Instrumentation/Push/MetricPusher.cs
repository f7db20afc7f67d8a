namespace Instrumentation.Push;

/// <summary>
/// Pushes a gatherer's metrics to a Pushgateway on an interval: once when started, then every
/// <see cref="Interval"/>, and once more when stopped so the gateway keeps the final state. For a long-running
/// process that cannot be scraped (behind NAT, say), or a batch job that wants progress visible while it runs.
/// </summary>
/// <remarks>
/// Use either <see cref="Start"/>/<see cref="StopAsync"/> or <see cref="RunAsync"/> (for a host's background service).
/// A failed push does not stop the loop: it is reported through <see cref="PushFailed"/>, kept in
/// <see cref="LastError"/>, and the next tick tries again. This type depends only on the BCL; an <c>IHostedService</c>
/// adapter is a few lines in the host (see the SentryCa example).
/// </remarks>
public sealed class MetricPusher : IAsyncDisposable
{
    private readonly PushGatewayClient _client;
    private readonly IGatherer _gatherer;
    private readonly Lock _lock = new();
    private CancellationTokenSource? _stopping;
    private Task? _loop;
    private long _pushes;
    private long _failures;
    private Exception? _lastError;

    /// <summary>Creates a pusher; nothing is sent until <see cref="Start"/> or <see cref="RunAsync"/>.</summary>
    /// <param name="client">Where to push.</param>
    /// <param name="gatherer">What to push (a <see cref="Registry"/>, usually).</param>
    /// <param name="interval">Time between pushes; must be positive.</param>
    /// <param name="method">Replace the group (<see cref="PushMethod.Push"/>, the default) or only the pushed names.</param>
    public MetricPusher(PushGatewayClient client, IGatherer gatherer, TimeSpan interval, PushMethod method = PushMethod.Push)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(gatherer);
        if (interval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(interval), interval, "The push interval must be positive.");
        }
        _client = client;
        _gatherer = gatherer;
        Interval = interval;
        Method = method;
    }

    /// <summary>Time between pushes.</summary>
    public TimeSpan Interval { get; }

    /// <summary>How each push combines with the group on the gateway.</summary>
    public PushMethod Method { get; }

    /// <summary>Whether <see cref="StopAsync"/> (and the end of <see cref="RunAsync"/>) pushes one last time. Default: true.</summary>
    public bool PushOnStop { get; init; } = true;

    /// <summary>Raised (on the loop's thread) when a push fails; the loop goes on.</summary>
    public event Action<Exception>? PushFailed;

    /// <summary>Number of pushes that succeeded.</summary>
    public long Pushes => Interlocked.Read(ref _pushes);

    /// <summary>Number of pushes that failed.</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>The error of the most recent failed push, or null when the most recent push succeeded.</summary>
    public Exception? LastError => Volatile.Read(ref _lastError);

    /// <summary>Starts pushing in the background. Calling it while running does nothing.</summary>
    public void Start()
    {
        lock (_lock)
        {
            if (_loop is not null)
            {
                return;
            }
            _stopping = new CancellationTokenSource();
            var token = _stopping.Token;
            _loop = Task.Run(() => RunAsync(token), CancellationToken.None);
        }
    }

    /// <summary>Stops the background loop, after its final push if <see cref="PushOnStop"/>; waits for it to end.</summary>
    /// <param name="cancellationToken">Abandons the wait (and the final push) when cancelled.</param>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        Task? loop;
        CancellationTokenSource? stopping;
        lock (_lock)
        {
            loop = _loop;
            stopping = _stopping;
            _loop = null;
            _stopping = null;
        }
        if (loop is null || stopping is null)
        {
            return;
        }
        await stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await loop.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            stopping.Dispose();
        }
    }

    /// <summary>
    /// Pushes now, then every <see cref="Interval"/> until <paramref name="stoppingToken"/> is cancelled, then once more
    /// if <see cref="PushOnStop"/>. Push failures do not end the loop (see <see cref="PushFailed"/>).
    /// </summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            do
            {
                await PushOnceAsync(stoppingToken).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: fall through to the final push.
        }
        if (PushOnStop)
        {
            // The final push gets its own timeout from the client, not the already-cancelled token.
            await PushOnceAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>Pushes once now; returns false (and reports the error) instead of throwing when it fails.</summary>
    public async Task<bool> PushOnceAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await _client.SendAsync(Method, _gatherer, cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _pushes);
            Volatile.Write(ref _lastError, null);
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            Interlocked.Increment(ref _failures);
            Volatile.Write(ref _lastError, e);
            PushFailed?.Invoke(e);
            return false;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);
}
