using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Instrumentation;

/// <summary>
/// Decides which exemplar a counter or histogram attaches by itself when it is updated: by default the trace and span
/// of a recorded (sampled) <see cref="Activity.Current"/>, so that a dashboard can jump from a latency bucket or an
/// error counter to a trace of one request that landed there.
/// </summary>
/// <remarks>
/// <para>
/// Set per metric (<see cref="CounterOptions.Exemplars"/>, <see cref="HistogramOptions.Exemplars"/>) or per registry
/// (<see cref="RegistryOptions.Exemplars"/>, applied to metrics registered with it that set none); a metric that sets
/// none and is not registered with a registry that sets one uses <see cref="SampledTraces"/>.
/// </para>
/// <para>
/// An update asks for an exemplar only when the series (for a histogram: the bucket the observation falls into) has
/// none yet or its exemplar is older than <see cref="MinInterval"/>, so a hot counter pays for building one at most
/// that often. Without a current activity the cost of <see cref="SampledTraces"/> is one read of
/// <see cref="Activity.Current"/> per update, and nothing is allocated. Exemplars that are asked for explicitly
/// (<see cref="Counter.AddWithExemplar"/>, <see cref="Histogram.ObserveWithExemplar"/>) are always kept.
/// </para>
/// </remarks>
public abstract class ExemplarProvider
{
    /// <summary>The default <see cref="MinInterval"/>: one second.</summary>
    public static readonly TimeSpan DefaultMinInterval = TimeSpan.FromSeconds(1);

    private readonly long _minIntervalMs;

    /// <summary>Creates a provider that attaches an exemplar to a series at most once per <paramref name="minInterval"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="minInterval"/> is negative.</exception>
    protected ExemplarProvider(TimeSpan minInterval)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minInterval, TimeSpan.Zero);
        MinInterval = minInterval;
        _minIntervalMs = (long)minInterval.TotalMilliseconds;
    }

    /// <summary>No automatic exemplars (explicit ones are still kept).</summary>
    public static ExemplarProvider None { get; } = new NoExemplars();

    /// <summary>
    /// <c>{trace_id, span_id}</c> of <see cref="Activity.Current"/> when it is recorded (sampled), at most once a second
    /// per series or bucket. The default.
    /// </summary>
    public static ExemplarProvider SampledTraces { get; } = new SampledTraceExemplars(DefaultMinInterval);

    /// <summary>How long a series (or histogram bucket) keeps its automatic exemplar before a newer one may replace it.</summary>
    public TimeSpan MinInterval { get; }

    /// <summary><see cref="SampledTraces"/> with another interval between exemplars of one series or bucket.</summary>
    public static ExemplarProvider ForSampledTraces(TimeSpan minInterval) => new SampledTraceExemplars(minInterval);

    /// <summary>
    /// A provider whose labels come from <paramref name="labels"/>, called on the updating thread when an exemplar is
    /// due; it returns null for none. The labels must be valid label names, not start with <c>__</c>, not repeat, and
    /// be at most 128 runes long together; invalid ones are dropped (the update itself always happens).
    /// </summary>
    public static ExemplarProvider Create(Func<IReadOnlyList<LabelPair>?> labels, TimeSpan? minInterval = null)
    {
        ArgumentNullException.ThrowIfNull(labels);
        return new DelegateExemplars(labels, minInterval ?? DefaultMinInterval);
    }

    /// <summary>The exemplar labels for the update being made on this thread, or null for none.</summary>
    protected abstract IReadOnlyList<LabelPair>? GetLabels();

    /// <summary>
    /// A cheap test made on every update before anything else: false means no exemplar now. The trace provider checks
    /// for a recorded activity here, so updates outside a trace cost one read of <see cref="Activity.Current"/>.
    /// </summary>
    protected virtual bool MayHaveExemplar() => true;

    /// <summary>True for providers that only ever give an exemplar inside an activity (the trace providers).</summary>
    internal virtual bool NeedsActivity => false;

    /// <summary>
    /// The exemplar to keep for an update of <paramref name="value"/> where <paramref name="current"/> is kept now, or
    /// null to keep <paramref name="current"/>.
    /// </summary>
    internal Exemplar? Offer(Exemplar? current, double value)
    {
        if (!MayHaveExemplar())
        {
            return null;
        }
        var now = Environment.TickCount64;
        if (current is not null && now - current.CreatedTick < _minIntervalMs)
        {
            return null;
        }
        var labels = GetLabels();
        if (labels is null)
        {
            return null;
        }
        try
        {
            return new Exemplar(labels, value, Clock.UnixSeconds()) { CreatedTick = now };
        }
        catch (ArgumentException)
        {
            return null; // a custom provider's bad labels must not fail the update that offered them
        }
    }

    private sealed class NoExemplars() : ExemplarProvider(TimeSpan.Zero)
    {
        protected override bool MayHaveExemplar() => false;

        protected override IReadOnlyList<LabelPair>? GetLabels() => null;
    }

    private sealed class SampledTraceExemplars(TimeSpan minInterval) : ExemplarProvider(minInterval)
    {
        internal override bool NeedsActivity => true;

        protected override bool MayHaveExemplar() => Activity.Current is { Recorded: true };

        protected override IReadOnlyList<LabelPair>? GetLabels()
        {
            var activity = Activity.Current;
            if (activity is null || !activity.Recorded || activity.IdFormat != ActivityIdFormat.W3C)
            {
                return null;
            }
            return [new LabelPair("trace_id", activity.TraceId.ToHexString()), new LabelPair("span_id", activity.SpanId.ToHexString())];
        }
    }

    private sealed class DelegateExemplars(Func<IReadOnlyList<LabelPair>?> labels, TimeSpan minInterval) : ExemplarProvider(minInterval)
    {
        protected override IReadOnlyList<LabelPair>? GetLabels() => labels();
    }
}

/// <summary>
/// The exemplar provider a metric — a labelled family's children share one — uses: its own, or, until it has one,
/// the registry's it was registered with. Read on every update, so it is one reference away.
/// </summary>
internal class ExemplarSettings
{
    private readonly bool _explicit;
    private ExemplarProvider? _provider;
    private bool _needsActivity;

    public ExemplarSettings(ExemplarProvider? own)
    {
        _explicit = own is not null;
        Use(own ?? ExemplarProvider.SampledTraces);
        _ = ActivityWatch.SeenAny; // start watching when the first metric is made, before its first update
    }

    /// <summary>
    /// The provider to ask, or null when automatic exemplars are off — or when the provider needs an activity and no
    /// activity has ever been current in this process, so a process without tracing pays one static read per update.
    /// </summary>
    public ExemplarProvider? Provider
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _needsActivity && !ActivityWatch.SeenAny ? null : _provider;
    }

    /// <summary>Takes a registry's default, unless the metric set its own.</summary>
    public void UseRegistryDefault(ExemplarProvider provider)
    {
        if (!_explicit)
        {
            Use(provider);
        }
    }

    private void Use(ExemplarProvider provider)
    {
        _needsActivity = provider.NeedsActivity;
        _provider = ReferenceEquals(provider, ExemplarProvider.None) ? null : provider;
    }
}

/// <summary>
/// Whether any <see cref="Activity"/> has been current on any thread since metrics were first created: until then,
/// trace exemplars cannot exist, and counters and histograms skip reading <see cref="Activity.Current"/>.
/// </summary>
internal static class ActivityWatch
{
    private static volatile bool s_seenAny;

    static ActivityWatch()
    {
        Activity.CurrentChanged += OnCurrentChanged;
        if (Activity.Current is not null)
        {
            s_seenAny = true;
        }
    }

    public static bool SeenAny
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => s_seenAny;
    }

    private static void OnCurrentChanged(object? sender, ActivityChangedEventArgs e)
    {
        if (e.Current is not null)
        {
            s_seenAny = true;
            Activity.CurrentChanged -= OnCurrentChanged; // once seen, the flag stays: nothing more to watch
        }
    }
}

/// <summary>A collector whose metrics attach exemplars by themselves and take a registry's default provider.</summary>
internal interface IExemplarDefaults
{
    /// <summary>Applies the default of the registry the collector is being registered with.</summary>
    void UseRegistryDefault(ExemplarProvider provider);
}
