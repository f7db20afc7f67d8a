using System.Runtime.CompilerServices;

namespace Instrumentation;

/// <summary>
/// A summary: observations (request durations, response sizes) reported as their count, their sum and chosen
/// quantiles over a sliding time window, each within a chosen rank error.
/// </summary>
/// <remarks>
/// <para>
/// Quantiles cannot be aggregated across instances; when you need that, use a <see cref="Histogram"/>. A summary
/// without <see cref="SummaryOptions.Objectives"/> reports only <c>_sum</c> and <c>_count</c>.
/// </para>
/// <para>
/// <see cref="Observe"/> takes no lock and allocates nothing: it appends the value to a pre-allocated buffer with one
/// interlocked increment (<c>ObservationQueue</c>). The observation that fills the buffer (one in
/// <see cref="SummaryOptions.BufferCapacity"/>) swaps in a spare buffer and then merges the full one into the count,
/// the sum and the quantile streams under the summary's lock, which only these merges and scrapes take; that call may
/// wait for a concurrent scrape or merge. An observation that arrives while a full buffer is being swapped spins (no
/// lock) for the few instructions until the spare is in place. When a window rotation is due (every
/// <c>MaxAge / AgeBuckets</c>), the first observation after it merges what is buffered and rotates, also under the
/// lock; every observation reads a cheap monotonic clock to notice that.
/// </para>
/// <para>
/// A scrape takes the lock, merges everything buffered, rotates the window if due, and reads count, sum and quantiles
/// from the same merged state: <c>_count</c> and <c>_sum</c> are exact (no observation lost or counted twice) and
/// consistent with each other, and include every observation whose <see cref="Observe"/> returned before the scrape
/// began. NaN observations count in <c>_count</c> and make <c>_sum</c> NaN, as in the reference client, but are left
/// out of the quantiles.
/// </para>
/// <para>
/// The quantiles come from the targeted-quantiles algorithm of Cormode, Korn, Muthukrishnan and Srivastava
/// (<c>QuantileStream</c>) over <see cref="SummaryOptions.AgeBuckets"/> streams rotated through
/// <see cref="SummaryOptions.MaxAge"/> (<c>SlidingWindowQuantiles</c>): an observation counts in them for
/// between <c>MaxAge − MaxAge/AgeBuckets</c> and <c>MaxAge</c>. With no observation in the window a quantile is NaN.
/// </para>
/// </remarks>
public sealed class Summary : IObserver, ICollector, IMetric, IExpiringChild, ISeriesChild
{
    // Without quantiles a merge only adds up the values, so a small buffer amortises the lock as well as a large one.
    private const int BufferCapacityWithoutQuantiles = 64;

    private readonly SummarySettings _settings;
    private readonly object?[] _key; // label values, and what the family index and exposition keep for the series
    private readonly double _createdSeconds;
    private readonly ObservationQueue _queue;
    private readonly SlidingWindowQuantiles? _window;
    private readonly Lock _lock = new();
    private long _rotateAt = long.MaxValue;
    private double[] _batch = [];
    private ulong _count;
    private double _sum;

    /// <summary>Creates a summary without variable labels.</summary>
    /// <exception cref="ArgumentException">
    /// An objective's rank is outside [0, 1] or its error negative, <see cref="SummaryOptions.MaxAge"/>,
    /// <see cref="SummaryOptions.AgeBuckets"/> or <see cref="SummaryOptions.BufferCapacity"/> is not positive, or a
    /// const label is named <c>quantile</c>.
    /// </exception>
    public Summary(SummaryOptions options)
        : this(options, time: null)
    {
    }

    /// <summary>Creates a summary reading the window's clock from <paramref name="time"/> (for tests).</summary>
    internal Summary(SummaryOptions options, TimeProvider? time)
        : this(SummarySettings.Create(options ?? throw new ArgumentNullException(nameof(options)), labelNames: null, time), key: null)
    {
    }

    /// <summary>Creates a summary, a child of a <see cref="SummaryVec"/> when its series <paramref name="key"/> is given (see <see cref="SeriesSchema"/>).</summary>
    internal Summary(SummarySettings settings, object?[]? key)
    {
        _settings = settings;
        if (key is null)
        {
            key = settings.Schema.NewKey([]);
            key[settings.Schema.ChildSlot] = this;
        }
        _key = key;
        _createdSeconds = Clock.UnixSeconds();
        if (settings.Ranks.Length == 0)
        {
            _queue = new ObservationQueue(Math.Min(settings.BufferCapacity, BufferCapacityWithoutQuantiles));
            return;
        }
        _queue = new ObservationQueue(settings.BufferCapacity);
        _window = new SlidingWindowQuantiles(settings.Ranks, settings.Errors, settings.MaxAgeTicks, settings.AgeBuckets, settings.Now());
        _rotateAt = _window.NextRotation;
    }

    /// <inheritdoc />
    public Desc Desc => _settings.Desc;

    /// <inheritdoc />
    public MetricType Type => MetricType.Summary;

    /// <summary>This series' labels.</summary>
    public LabelSet Labels => _settings.Schema.Labels(_key);

    object?[] ISeriesChild.SeriesKey => _key;

    /// <summary>The number of observations so far (merges pending observations first, under the lock).</summary>
    public ulong Count
    {
        get
        {
            lock (_lock)
            {
                FlushLocked();
                return _count;
            }
        }
    }

    /// <summary>The sum of observations so far (merges pending observations first, under the lock).</summary>
    public double Sum
    {
        get
        {
            lock (_lock)
            {
                FlushLocked();
                return _sum;
            }
        }
    }

    /// <summary>Records one observation.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Observe(double value)
    {
        if (_window is not null && _settings.Now() >= Volatile.Read(ref _rotateAt))
        {
            RotateBeforeObserving();
        }
        if (_queue.Append(value))
        {
            MergeFullBuffer();
        }
    }

    /// <summary>Starts a timer that observes the elapsed seconds when disposed.</summary>
    public MetricTimer StartTimer() => new(this);

    /// <inheritdoc />
    public void Write(MetricPoint point)
    {
        ulong count;
        double sum;
        // The point's own array, reused by the next scrape into the same gather buffer: no allocation per scrape.
        var quantiles = point.RentQuantiles(_settings.Ranks.Length);
        lock (_lock)
        {
            FlushLocked();
            count = _count;
            sum = _sum;
            for (var i = 0; i < quantiles.Length; i++)
            {
                var rank = _settings.Ranks[i];
                quantiles[i] = new QuantileValue(rank, _window!.Query(rank));
            }
        }
        point.SetSeries(_settings.Schema, _key);
        point.Count = count;
        point.Sum = sum;
        point.CreatedSeconds = _createdSeconds;
    }

    /// <summary>Every observation adds one to the count (pending observations are merged first).</summary>
    long IExpiringChild.UpdateMark() => (long)Count;

    /// <inheritdoc />
    public IEnumerable<Desc> Describe() => [_settings.Desc];

    /// <inheritdoc />
    public IEnumerable<IMetric> Collect() => [this];

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void MergeFullBuffer()
    {
        lock (_lock)
        {
            MergePendingLocked();
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void RotateBeforeObserving()
    {
        lock (_lock)
        {
            // Observations buffered so far belong before the rotation: merge them first (FlushLocked does).
            FlushLocked();
        }
    }

    /// <summary>Merges everything appended so far, then rotates the window if due.</summary>
    private void FlushLocked()
    {
        _queue.SealHot();
        MergePendingLocked();
        if (_window is not null)
        {
            _window.Rotate(_settings.Now());
            Volatile.Write(ref _rotateAt, _window.NextRotation);
        }
    }

    private void MergePendingLocked()
    {
        var sink = new BatchSink(this);
        _queue.Drain(ref sink);
        _count += sink.Count;
        _sum += sink.Sum;
        if (_window is not null && sink.Length > 0)
        {
            var batch = _batch.AsSpan(0, sink.Length);
            DoubleRadixSort.Sort(batch);
            _window.InsertSorted(batch);
        }
    }

    /// <summary>Collects drained observations: count and sum of all, the non-NaN ones into the batch for the streams.</summary>
    private struct BatchSink(Summary summary) : IObservationSink
    {
        public ulong Count;
        public double Sum;
        public int Length;

        public void Add(double value)
        {
            Count++;
            Sum += value;
            if (summary._window is null || double.IsNaN(value))
            {
                return;
            }
            if (Length == summary._batch.Length)
            {
                Array.Resize(ref summary._batch, Math.Max(16, summary._batch.Length * 2));
            }
            summary._batch[Length++] = value;
        }
    }
}

/// <summary>The validated options of a summary, shared by the children of a <see cref="SummaryVec"/>.</summary>
internal sealed class SummarySettings
{
    private readonly TimeProvider? _time;

    private SummarySettings(Desc desc, double[] ranks, double[] errors, long maxAgeTicks, int ageBuckets, int bufferCapacity, TimeProvider? time)
    {
        Desc = desc;
        Schema = new SeriesSchema(desc);
        Ranks = ranks;
        Errors = errors;
        MaxAgeTicks = maxAgeTicks;
        AgeBuckets = ageBuckets;
        BufferCapacity = bufferCapacity;
        _time = time;
    }

    public Desc Desc { get; }

    /// <summary>The family's series schema (label names and their order), shared by its children.</summary>
    public SeriesSchema Schema { get; }

    /// <summary>Objective ranks, ascending.</summary>
    public double[] Ranks { get; }

    /// <summary>Allowed rank error of each objective, in the order of <see cref="Ranks"/>.</summary>
    public double[] Errors { get; }

    public long MaxAgeTicks { get; }

    public int AgeBuckets { get; }

    public int BufferCapacity { get; }

    /// <summary>
    /// Monotonic time in <see cref="TimeSpan"/> ticks. The default is <see cref="Environment.TickCount64"/>: millisecond
    /// resolution is plenty for a window of minutes, and it is the cheapest clock there is, which matters because every
    /// observation reads it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long Now() => _time is null
        ? Environment.TickCount64 * TimeSpan.TicksPerMillisecond
        : _time.GetElapsedTime(0, _time.GetTimestamp()).Ticks;

    /// <summary>Validates <paramref name="options"/> and builds the descriptor.</summary>
    public static SummarySettings Create(SummaryOptions options, IReadOnlyList<string>? labelNames, TimeProvider? time)
    {
        var desc = options.CreateDesc(labelNames);
        var name = desc.FqName;
        if (desc.VariableLabels.Contains("quantile") || desc.ConstLabels.Any(p => p.Name == "quantile"))
        {
            throw new ArgumentException($"Summary \"{name}\" cannot have a label named \"quantile\": the quantile series use it.", nameof(labelNames));
        }
        if (options.MaxAge <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxAge, $"MaxAge of summary \"{name}\" must be positive, not {options.MaxAge}.");
        }
        if (options.AgeBuckets < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.AgeBuckets, $"AgeBuckets of summary \"{name}\" must be at least 1, not {options.AgeBuckets}.");
        }
        if (options.BufferCapacity < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.BufferCapacity, $"BufferCapacity of summary \"{name}\" must be at least 1, not {options.BufferCapacity}.");
        }
        var objectives = options.Objectives ?? new Dictionary<double, double>();
        var ranks = new double[objectives.Count];
        var errors = new double[objectives.Count];
        var i = 0;
        foreach (var (rank, error) in objectives.OrderBy(o => o.Key))
        {
            if (!(rank >= 0 && rank <= 1))
            {
                throw new ArgumentOutOfRangeException(nameof(options), rank, $"Summary \"{name}\" has objective quantile {rank}, outside [0, 1].");
            }
            if (!(error >= 0))
            {
                throw new ArgumentOutOfRangeException(nameof(options), error, $"Summary \"{name}\" objective quantile {rank} has allowed error {error}; it must be zero or positive.");
            }
            ranks[i] = rank;
            errors[i] = error;
            i++;
        }
        return new SummarySettings(desc, ranks, errors, options.MaxAge.Ticks, options.AgeBuckets, options.BufferCapacity, time);
    }
}
