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
public sealed class Counter : ICounter, ICollector, IMetric, IExpiringChild, IExemplarDefaults
{
    private readonly Desc _desc;
    private readonly LabelSet _labels;
    private readonly double _createdSeconds;
    private StripedCount _whole;
    private long _fractionBits; // fractional and huge increments, and whole ones past the integer range
    private Exemplar? _exemplar;
    private readonly ExemplarSettings _exemplars;

    /// <summary>Creates a counter without variable labels.</summary>
    public Counter(CounterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _desc = options.CreateDesc(null);
        _labels = LabelSet.Create(_desc.ConstLabels, [], []);
        _createdSeconds = Clock.UnixSeconds();
        _exemplars = new ExemplarSettings(options.Exemplars);
    }

    // exemplars: the family's settings, shared by its children; null for a counter of its own (tests).
    internal Counter(Desc desc, LabelSet labels, ExemplarSettings? exemplars = null)
    {
        _desc = desc;
        _labels = labels;
        _createdSeconds = Clock.UnixSeconds();
        _exemplars = exemplars ?? new ExemplarSettings(null);
    }

    /// <inheritdoc />
    public Desc Desc => _desc;

    /// <inheritdoc />
    public MetricType Type => MetricType.Counter;

    /// <summary>This series' labels.</summary>
    public LabelSet Labels => _labels;

    /// <inheritdoc />
    public double Value
    {
        get
        {
            return (double)_whole.Total() + BitConverter.Int64BitsToDouble(Volatile.Read(ref _fractionBits));
        }
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Inc()
    {
        AddWhole(1);
        if (_exemplars.Provider is { } provider)
        {
            OfferExemplar(provider, 1);
        }
    }

    /// <inheritdoc />
    public void Add(double value)
    {
        AddValue(value);
        if (_exemplars.Provider is { } provider)
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
        AtomicDouble.Add(ref _fractionBits, value);
    }

    /// <summary>Keeps the exemplar the provider gives for this update, if one is due.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void OfferExemplar(ExemplarProvider provider, double value)
    {
        if (provider.Offer(Volatile.Read(ref _exemplar), value) is { } exemplar)
        {
            Volatile.Write(ref _exemplar, exemplar);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void AddWhole(long delta)
    {
        if (!_whole.TryAdd(delta))
        {
            AddPastIntegerRange(delta);
        }
    }

    /// <summary>The integer would overflow: count in the double from here on, so the value never wraps.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void AddPastIntegerRange(long delta) => AtomicDouble.Add(ref _fractionBits, delta);

    /// <summary>Spreads whole increments over per-core cells now, as the first collision would (for tests).</summary>
    internal void SwitchToCells() => _whole.SwitchToCells();

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
        Volatile.Write(ref _exemplar, exemplar);
    }

    void IExemplarDefaults.UseRegistryDefault(ExemplarProvider provider) => _exemplars.UseRegistryDefault(provider);

    /// <inheritdoc />
    public void Write(MetricPoint point)
    {
        point.Labels = _labels;
        point.Value = Value;
        point.Exemplar = Volatile.Read(ref _exemplar);
        point.CreatedSeconds = _createdSeconds;
    }

    /// <summary>A counter's value changes with every update that adds something.</summary>
    long IExpiringChild.UpdateMark() => BitConverter.DoubleToInt64Bits(Value);

    /// <inheritdoc />
    public IEnumerable<Desc> Describe() => [_desc];

    /// <inheritdoc />
    public IEnumerable<IMetric> Collect() => [this];

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowNegative(double value) =>
        throw new ArgumentOutOfRangeException(nameof(value), value,
            $"Counter \"{_desc.FqName}\"{(_labels.Count > 0 ? " " + _labels : "")} can only go up: cannot add {value}.");
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
