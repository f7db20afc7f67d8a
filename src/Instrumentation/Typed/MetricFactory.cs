using System.Collections.Concurrent;
using System.Globalization;

namespace Instrumentation;

/// <summary>
/// The <see cref="IMetricFactory"/> that registers what it creates with an <see cref="IRegisterer"/>, optionally
/// under a namespace.
/// </summary>
/// <remarks>
/// Creation takes a lock (it is rare, and create-or-get must be atomic with registration); the metrics it returns
/// take none. Typed metrics are cached per definition type, so <see cref="GetCounter{TDefinition}"/> is cheap after
/// the first call — but callers should still keep the instance rather than ask on every use.
/// </remarks>
public sealed class MetricFactory : IMetricFactory
{
    private readonly IRegisterer _registerer;
    private readonly object _lock = new();
    private readonly Dictionary<string, Entry> _byName = new(StringComparer.Ordinal);
    // Keyed by kind too: one class may define both a counter and a gauge (it would then need distinct names).
    private readonly ConcurrentDictionary<(Type, MetricType), object> _typed = new();

    /// <summary>Creates a factory that registers with <paramref name="registerer"/>.</summary>
    /// <param name="registerer">Where created metrics are registered.</param>
    /// <param name="namespace">Prepended (with <c>_</c>) to every name; null or empty for none.</param>
    public MetricFactory(IRegisterer registerer, string? @namespace = null)
    {
        ArgumentNullException.ThrowIfNull(registerer);
        _registerer = registerer;
        Namespace = string.IsNullOrEmpty(@namespace) ? null : @namespace;
    }

    /// <inheritdoc />
    public string? Namespace { get; }

    /// <summary>
    /// The <see cref="MetricOptions.MaxSeries"/> of the labelled families this factory creates (typed definitions
    /// included) whose options leave it unset; null (the default) for no limit, as with <c>new CounterVec(...)</c>.
    /// <c>AddMetricsRegistry</c> sets it from <c>Metrics:MaxSeriesPerMetric</c>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to less than 1.</exception>
    public int? DefaultMaxSeries
    {
        get;
        init => field = value is null or >= 1
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, "DefaultMaxSeries must be at least 1, or null for no limit.");
    }

    /// <inheritdoc />
    public Counter CreateCounter(CounterOptions options) =>
        GetOrCreate(MetricType.Counter, Prefixed(options), null, "", o => new Counter(o), origin: null);

    /// <inheritdoc />
    public CounterVec CreateCounterVec(CounterOptions options, IReadOnlyList<string> labelNames) =>
        GetOrCreate(MetricType.Counter, Prefixed(options), labelNames, "", o => new CounterVec(o, labelNames), origin: null);

    /// <inheritdoc />
    public Gauge CreateGauge(GaugeOptions options) =>
        GetOrCreate(MetricType.Gauge, Prefixed(options), null, "", o => new Gauge(o), origin: null);

    /// <inheritdoc />
    public GaugeVec CreateGaugeVec(GaugeOptions options, IReadOnlyList<string> labelNames) =>
        GetOrCreate(MetricType.Gauge, Prefixed(options), labelNames, "", o => new GaugeVec(o, labelNames), origin: null);

    /// <inheritdoc />
    public Histogram CreateHistogram(HistogramOptions options) =>
        GetOrCreate(MetricType.Histogram, Prefixed(options), null, BucketShape(options), o => new Histogram(o), origin: null);

    /// <inheritdoc />
    public HistogramVec CreateHistogramVec(HistogramOptions options, IReadOnlyList<string> labelNames) =>
        GetOrCreate(MetricType.Histogram, Prefixed(options), labelNames, BucketShape(options), o => new HistogramVec(o, labelNames), origin: null);

    /// <inheritdoc />
    public Summary CreateSummary(SummaryOptions options) =>
        GetOrCreate(MetricType.Summary, Prefixed(options), null, SummaryShape(options), o => new Summary(o), origin: null);

    /// <inheritdoc />
    public SummaryVec CreateSummaryVec(SummaryOptions options, IReadOnlyList<string> labelNames) =>
        GetOrCreate(MetricType.Summary, Prefixed(options), labelNames, SummaryShape(options), o => new SummaryVec(o, labelNames), origin: null);

    /// <inheritdoc />
    public ICounter<TDefinition> GetCounter<TDefinition>() where TDefinition : ICounterDefinition =>
        (ICounter<TDefinition>)_typed.GetOrAdd((typeof(TDefinition), MetricType.Counter), static (_, factory) => new TypedCounter<TDefinition>(factory), this);

    /// <inheritdoc />
    public IGauge<TDefinition> GetGauge<TDefinition>() where TDefinition : IGaugeDefinition =>
        (IGauge<TDefinition>)_typed.GetOrAdd((typeof(TDefinition), MetricType.Gauge), static (_, factory) => new TypedGauge<TDefinition>(factory), this);

    /// <inheritdoc />
    public IHistogram<TDefinition> GetHistogram<TDefinition>() where TDefinition : IHistogramDefinition =>
        (IHistogram<TDefinition>)_typed.GetOrAdd((typeof(TDefinition), MetricType.Histogram), static (_, factory) => new TypedHistogram<TDefinition>(factory), this);

    /// <inheritdoc />
    public ISummary<TDefinition> GetSummary<TDefinition>() where TDefinition : ISummaryDefinition =>
        (ISummary<TDefinition>)_typed.GetOrAdd((typeof(TDefinition), MetricType.Summary), static (_, factory) => new TypedSummary<TDefinition>(factory), this);

    /// <summary>
    /// Create-or-get for a metric of any kind. <paramref name="shapeExtras"/> describes what the options alone do not
    /// (buckets, objectives); <paramref name="origin"/> names a typed definition for error messages.
    /// </summary>
    internal TMetric GetOrCreate<TOptions, TMetric>(MetricType kind, TOptions options, IReadOnlyList<string>? labelNames, string shapeExtras,
        Func<TOptions, TMetric> create, string? origin)
        where TOptions : MetricOptions
        where TMetric : class, ICollector
    {
        ArgumentNullException.ThrowIfNull(options);
        var shape = Shape.Of(kind, options, labelNames, shapeExtras);
        lock (_lock)
        {
            if (_byName.TryGetValue(shape.Name, out var existing))
            {
                if (existing.Shape == shape && existing.Metric is TMetric same)
                {
                    return same;
                }
                throw new ArgumentException(
                    $"Metric \"{shape.Name}\" already exists{Describe(existing.Origin)} as {existing.Shape}; it cannot be created again{Describe(origin)} as {shape}.",
                    nameof(options));
            }
            var metric = create(WithDefaultCap(options, labelNames));
            _registerer.Register(metric);
            _byName.Add(shape.Name, new Entry(shape, metric, origin));
            return metric;
        }
    }

    /// <summary>Options with <see cref="DefaultMaxSeries"/> for a labelled family that sets no cap; the caller's object is not changed.</summary>
    private TOptions WithDefaultCap<TOptions>(TOptions options, IReadOnlyList<string>? labelNames)
        where TOptions : MetricOptions
    {
        if (DefaultMaxSeries is not { } cap || labelNames is not { Count: > 0 } || options.MaxSeries is not null)
        {
            return options;
        }
        var copy = (TOptions)OptionsCopy.Of(options);
        copy.MaxSeries = cap;
        return copy;
    }

    /// <summary>Options with this factory's namespace in front of the caller's; the caller's object is not changed.</summary>
    internal TOptions Prefixed<TOptions>(TOptions options)
        where TOptions : MetricOptions
    {
        ArgumentNullException.ThrowIfNull(options);
        if (Namespace is null)
        {
            return options;
        }
        var copy = (TOptions)OptionsCopy.Of(options);
        copy.Namespace = string.IsNullOrEmpty(options.Namespace) ? Namespace : Namespace + "_" + options.Namespace;
        return copy;
    }

    internal static string BucketShape(HistogramOptions options) =>
        (options.Buckets is { Length: > 0 } b
            ? "buckets [" + string.Join(", ", b.Select(v => v.ToString(CultureInfo.InvariantCulture))) + "]"
            : "default buckets")
        + (options.NativeHistogramBucketFactor > 1
            ? FormattableString.Invariant(
                $", native factor {options.NativeHistogramBucketFactor}, zero threshold {options.NativeHistogramZeroThreshold}, max {options.NativeHistogramMaxBucketNumber} buckets")
            : "");

    internal static string SummaryShape(SummaryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var objectives = options.Objectives is { Count: > 0 } o
            ? "objectives {" + string.Join(", ", o.OrderBy(kv => kv.Key).Select(kv => FormattableString.Invariant($"{kv.Key}: {kv.Value}"))) + "}"
            : "no objectives";
        return FormattableString.Invariant($"{objectives}, max age {options.MaxAge}, {options.AgeBuckets} age buckets, buffer {options.BufferCapacity}");
    }

    private static string Describe(string? origin) => origin is null ? "" : $" (from {origin})";

    private sealed record Entry(Shape Shape, ICollector Metric, string? Origin);

    /// <summary>Everything that must agree for two requests of one name to be served by the same metric.</summary>
    private sealed record Shape(string Name, MetricType Kind, string Help, string? Unit, string Labels, string ConstLabels, string Extras)
    {
        public static Shape Of(MetricType kind, MetricOptions options, IReadOnlyList<string>? labelNames, string extras) => new(
            options.FullName,
            kind,
            options.Help,
            options.Unit,
            labelNames is null ? "" : string.Join(", ", labelNames),
            options.ConstLabels is null
                ? ""
                : string.Join(", ", options.ConstLabels.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}=\"{kv.Value}\"")),
            extras);

        public override string ToString() =>
            $"a {Kind.ToString().ToLowerInvariant()} with help \"{Help}\", labels ({Labels})"
            + (ConstLabels.Length > 0 ? $", const labels {{{ConstLabels}}}" : "")
            + (Unit is null ? "" : $", unit \"{Unit}\"")
            + (Extras.Length > 0 ? ", " + Extras : "");
    }
}
