using Instrumentation.Exposition;

namespace Instrumentation.Scraping;

/// <summary>
/// One gather and every scrape it serves: scrapes that arrive while it runs join it instead of starting their own
/// (client_golang's <c>CoalesceGather</c>). Its storage — the gather buffer and the encoded bodies — goes back to the
/// pool only when the gather has returned and the last scrape using it has finished writing.
/// </summary>
internal sealed class GatherCycle
{
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ScrapePools _pools;
    private readonly GatherBuffer _buffer;
    private readonly List<EncodedBody> _bodies = [];
    private int _references;

    /// <summary>A cycle held by its gather and by the scrape that started it.</summary>
    public GatherCycle(ScrapePools pools)
    {
        _pools = pools;
        _buffer = pools.RentGather();
        _references = 2;
        Started = System.Diagnostics.Stopwatch.GetTimestamp();
    }

    /// <summary>When the gather was started (a <see cref="System.Diagnostics.Stopwatch"/> timestamp).</summary>
    public long Started { get; }

    /// <summary>Completes when the gather has returned; <see cref="Families"/> and <see cref="Failure"/> are set by then.</summary>
    public Task Completion => _completion.Task;

    public IReadOnlyList<MetricFamily> Families { get; private set; } = [];

    public Exception? Failure { get; private set; }

    /// <summary>Set (under the handler's lock) once the gather has returned.</summary>
    public bool GatherReturned { get; set; }

    /// <summary>Set (under the handler's lock) when an abandoning scrape handed its concurrency slot to the running gather.</summary>
    public bool HoldsSlot { get; set; }

    public void AddReference() => Interlocked.Increment(ref _references);

    public void Release()
    {
        if (Interlocked.Decrement(ref _references) == 0)
        {
            foreach (var body in _bodies)
            {
                body.Return(_pools);
            }
            _bodies.Clear();
            Families = [];
            _pools.Return(_buffer);
        }
    }

    /// <summary>Runs the gather; never throws (a failure is kept in <see cref="Failure"/>).</summary>
    public void Gather(IGatherer gatherer)
    {
        try
        {
            Families = gatherer.Gather(_buffer);
        }
        catch (GatherException ex)
        {
            Families = ex.Families;
            Failure = ex;
        }
        catch (Exception ex)
        {
            Failure = ex;
        }
    }

    public void Complete() => _completion.SetResult();

    /// <summary>The result in <paramref name="format"/>, encoded once per format and encoding for every scrape of this gather.</summary>
    public bool TryGetBody(ExpositionFormat format, bool gzip, ExpositionOptions options, out ReadOnlyMemory<byte> bytes, out Exception? error)
    {
        EncodedBody body;
        lock (_bodies)
        {
            var plain = Find(format, gzip: false) ?? Add(new EncodedBody(format, plain: null));
            body = gzip ? Find(format, gzip: true) ?? Add(new EncodedBody(format, plain)) : plain;
        }
        return body.TryGet(Families, options, _pools, out bytes, out error);
    }

    private EncodedBody? Find(ExpositionFormat format, bool gzip)
    {
        foreach (var body in _bodies)
        {
            if (body.Matches(format, gzip))
            {
                return body;
            }
        }
        return null;
    }

    private EncodedBody Add(EncodedBody body)
    {
        _bodies.Add(body);
        return body;
    }
}
