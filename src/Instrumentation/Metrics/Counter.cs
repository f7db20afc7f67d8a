using System.Runtime.CompilerServices;

namespace Instrumentation;

/// <summary>The operations of a counter: a value that only goes up.</summary>
public interface ICounter
{
    /// <summary>Adds 1.</summary>
    void Inc();

    /// <summary>Adds <paramref name="value"/>, which must be zero or positive.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is negative or NaN; the counter is unchanged.</exception>
    void Add(double value);

    /// <summary>The current value.</summary>
    double Value { get; }

    /// <summary>Adds <paramref name="value"/> and keeps an exemplar (a trace id, say) with it.</summary>
    /// <exception cref="ArgumentException">The value is negative or NaN, or the exemplar labels are invalid (bad,
    /// reserved or repeated names) or longer than 128 runes; nothing is changed.</exception>
    void AddWithExemplar(double value, IReadOnlyList<LabelPair> exemplarLabels);
}

/// <summary>
/// A counter: a cumulative value that only goes up (and resets when the process restarts). Use it for requests
/// served, bytes sent, errors seen. Its name should end in <c>_total</c>.
/// </summary>
/// <remarks>
/// Whole increments (up to 2^53 each) go to a 64-bit integer with one compare-and-swap; fractional and larger ones to
/// a separate double, also updated by compare-and-swap. Keeping them apart makes <see cref="Inc"/> as cheap as a bare
/// <see cref="Interlocked.Increment(ref long)"/> and keeps integer counts exact beyond 2^53. The first time that
/// compare-and-swap fails — another thread incremented at the same moment — the counter switches its whole
/// increments to per-core cells (<see cref="CounterCells"/>), so threads that keep colliding stop fighting over one
/// cache line; counters that are never contended never allocate them. The value is the integer, the cells (summed
/// in 128 bits) and the double added up.
/// <para>
/// The value never goes down, however large it gets: a whole increment that would take the integer past
/// <see cref="long.MaxValue"/> (or a cell past 2^62) is added to the double instead, so past the integer range the
/// counter keeps counting with a double's precision, where the reference client's <c>uint64</c> would wrap.
/// </para>
/// </remarks>
public sealed class Counter : ICounter, ICollector, IMetric, IExpiringChild, IExemplarDefaults, ISeriesChild
{
    private readonly SeriesSchema _schema; // the family's: descriptor, label names, exemplar settings
    private readonly object?[] _key; // label values, and what the family index and exposition keep for the series
    private readonly double _createdSeconds;
    private long _single; // whole increments while the counter is uncontended and has no side object
    private Side? _side; // per-core cells once contended, the double, the exemplar: allocated when first needed

    /// <summary>Creates a counter without variable labels.</summary>
    public Counter(CounterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _schema = new SeriesSchema(options.CreateDesc(null), options.Exemplars);
        _key = _schema.NewKey([]);
        _key[_schema.ChildSlot] = this;
        _createdSeconds = Clock.UnixSeconds();
    }

    // schema: the family's, shared by its children; key: this child's series key (see SeriesSchema).
    internal Counter(SeriesSchema schema, object?[] key)
    {
        _schema = schema;
        _key = key;
        _createdSeconds = Clock.UnixSeconds();
    }

    /// <inheritdoc />
    public Desc Desc => _schema.Desc;

    /// <inheritdoc />
    public MetricType Type => MetricType.Counter;

    /// <summary>This series' labels.</summary>
    public LabelSet Labels => _schema.Labels(_key);

    object?[] ISeriesChild.SeriesKey => _key;

    /// <inheritdoc />
    public double Value
    {
        get
        {
            // The word, the cells and the double each only grow, so successive reads never decrease.
            var side = Volatile.Read(ref _side);
            Int128 whole = Volatile.Read(ref _single);
            if (side is null)
            {
                return (double)whole;
            }
            if (Volatile.Read(ref side.Cells) is { } cells)
            {
                whole += CounterCells.Sum(cells);
            }
            return (double)whole + AtomicDouble.Read(ref side.FractionBits);
        }
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Inc()
    {
        // The provider is read before the compare-and-swap: loads after a locked instruction wait for it to finish,
        // loads before it overlap it.
        var provider = _schema.Provider;
        AddWhole(1);
        if (provider is not null)
        {
            OfferExemplar(provider, 1);
        }
    }

    /// <inheritdoc />
    public void Add(double value)
    {
        var provider = _schema.Provider; // before the compare-and-swap, as in Inc
        AddValue(value);
        if (provider is not null)
        {
            OfferExemplar(provider, value);
        }
    }

    private void AddValue(double value)
    {
        // Integral increments take the cheap exact path; everything else (fractions, huge values) the CAS path.
        if (value >= 0 && value <= StripedCount.MaxDelta && value == Math.Floor(value))
        {
            AddWhole((long)value);
            return;
        }
        if (!(value >= 0))
        {
            ThrowNegative(value);
        }
        AtomicDouble.Add(ref GetSide().FractionBits, value);
    }

    /// <summary>Keeps the exemplar the provider gives for this update, if one is due.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void OfferExemplar(ExemplarProvider provider, double value)
    {
        if (provider.Offer(Volatile.Read(ref _side)?.Exemplar, value) is { } exemplar)
        {
            Volatile.Write(ref GetSide().Exemplar, exemplar);
        }
    }

    /// <summary>
    /// Adds a whole increment: while the counter has no side object, one read of it and one compare-and-swap on
    /// <see cref="_single"/>, as <see cref="StripedCount"/> does with its cells.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void AddWhole(long delta)
    {
        var side = Volatile.Read(ref _side);
        if (side is not null)
        {
            AddWholeWithSide(side, delta);
            return;
        }
        var current = Volatile.Read(ref _single);
        var next = current + delta;
        if (next < current || Interlocked.CompareExchange(ref _single, next, current) != current)
        {
            AddWholeSlow(delta); // past long.MaxValue (the compare-and-swap would store a wrapped count), or contended
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void AddWholeSlow(long delta) => AddWholeWithSide(GetSide(), delta, contended: true);

    /// <summary>
    /// A whole increment once the side object exists: to this core's cell once the counter was contended, else to the
    /// word (a collision there switches to the cells, as the first collision without a side object does); what would
    /// pass the integer range goes to the double, so the value never wraps.
    /// </summary>
    private void AddWholeWithSide(Side side, long delta, bool contended = false)
    {
        var cells = Volatile.Read(ref side.Cells);
        if (cells is null)
        {
            var current = Volatile.Read(ref _single);
            var next = current + delta;
            if (next < current)
            {
                AtomicDouble.Add(ref side.FractionBits, delta);
                return;
            }
            if (!contended && Interlocked.CompareExchange(ref _single, next, current) == current)
            {
                return;
            }
            var created = CounterCells.Create();
            cells = Interlocked.CompareExchange(ref side.Cells, created, null) ?? created;
        }
        if (!CounterCells.TryAdd(cells, delta))
        {
            AtomicDouble.Add(ref side.FractionBits, delta);
        }
    }

    private Side GetSide()
    {
        var side = Volatile.Read(ref _side);
        if (side is null)
        {
            var created = new Side();
            side = Interlocked.CompareExchange(ref _side, created, null) ?? created;
        }
        return side;
    }

    /// <summary>Spreads whole increments over per-core cells now, as the first collision would (for tests).</summary>
    internal void SwitchToCells() => Interlocked.CompareExchange(ref GetSide().Cells, CounterCells.Create(), null);

    /// <summary>Adds <paramref name="value"/> and keeps an exemplar (a trace id, say) with it.</summary>
    /// <exception cref="ArgumentException">The value is negative or NaN, or the exemplar labels are invalid or too long; nothing is changed.</exception>
    public void AddWithExemplar(double value, IReadOnlyList<LabelPair> exemplarLabels)
    {
        if (!(value >= 0))
        {
            ThrowNegative(value);
        }
        var exemplar = new Exemplar(exemplarLabels, value, Clock.UnixSeconds());
        AddValue(value);
        Volatile.Write(ref GetSide().Exemplar, exemplar);
    }

    void IExemplarDefaults.UseRegistryDefault(ExemplarProvider provider) => _schema.UseRegistryDefault(provider);

    /// <inheritdoc />
    public void Write(MetricPoint point)
    {
        point.SetSeries(_schema, _key);
        point.Value = Value;
        point.Exemplar = Volatile.Read(ref _side)?.Exemplar;
        point.CreatedSeconds = _createdSeconds;
    }

    /// <summary>A counter's value changes with every update that adds something.</summary>
    long IExpiringChild.UpdateMark() => BitConverter.DoubleToInt64Bits(Value);

    /// <inheritdoc />
    public IEnumerable<Desc> Describe() => [_schema.Desc];

    /// <inheritdoc />
    public IEnumerable<IMetric> Collect() => [this];

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowNegative(double value) =>
        throw new ArgumentOutOfRangeException(nameof(value), value,
            $"Counter \"{_schema.Desc.FqName}\"{(_schema.PairCount > 0 ? " " + _schema.Describe(_key) : "")} can only go up: cannot add {value}.");

    /// <summary>
    /// What most counters never need, kept out of line so that a counter series is small: the per-core cells (once two
    /// threads collided on it), the double for fractional increments and whole ones past the integer range, and the
    /// last exemplar.
    /// </summary>
    private sealed class Side
    {
        public CounterCells.Cell[]? Cells;
        public long FractionBits;
        public Exemplar? Exemplar;
    }
}

/// <summary>A double held as its 64-bit pattern so it can be updated atomically.</summary>
internal static class AtomicDouble
{
    public static void Add(ref long bits, double value)
    {
        var current = Volatile.Read(ref bits);
        while (true)
        {
            var next = BitConverter.DoubleToInt64Bits(BitConverter.Int64BitsToDouble(current) + value);
            var seen = Interlocked.CompareExchange(ref bits, next, current);
            if (seen == current)
            {
                return;
            }
            current = seen;
        }
    }

    public static double Read(ref long bits) => BitConverter.Int64BitsToDouble(Volatile.Read(ref bits));
}
