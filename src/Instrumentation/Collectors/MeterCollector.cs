using System.Diagnostics.Metrics;
using System.Globalization;

namespace Instrumentation.Collectors;

/// <summary>
/// Bridges <see cref="System.Diagnostics.Metrics"/> instruments — the runtime's, ASP.NET Core's, Kestrel's,
/// HttpClient's, and the application's own — into Prometheus families, named as OpenTelemetry's Prometheus exporter
/// names them so that existing dashboards keep working (<c>http_server_request_duration_seconds</c>,
/// <c>kestrel_active_connections</c>, <c>dotnet_gc_collections_total</c>).
/// </summary>
/// <remarks>
/// <para>
/// A <see cref="MeterListener"/> subscribes to every instrument of the meters named in
/// <see cref="MeterCollectorOptions.Meters"/>, including instruments created later. <c>Counter&lt;T&gt;</c> becomes a
/// counter (<c>_total</c>), <c>UpDownCounter&lt;T&gt;</c> and <c>Gauge&lt;T&gt;</c> gauges, <c>Histogram&lt;T&gt;</c> a
/// histogram whose buckets come from the instrument's advice, else <see cref="MeterCollectorOptions.DefaultBuckets"/>,
/// else <see cref="OpenTelemetryDefaultBuckets"/>. Observable instruments are read during <see cref="Collect"/>, not
/// on a timer, and a series their callbacks stop reporting disappears. Tags become labels (sanitised); when the
/// measurements of one instrument carry different tag keys, the family's labels are the union and a missing one is
/// written empty (which Prometheus treats as absent). Instruments of the same name in several meter instances add
/// into the same series; an instrument whose name maps to a family of another kind is not bridged.
/// </para>
/// <para>
/// Each family keeps at most <see cref="MeterCollectorOptions.MaxSeriesPerInstrument"/> series. Measurements whose
/// tags would make another go to an overflow series whose every label is <c>__overflow__</c> (as the core's
/// labelled families do past <see cref="MetricOptions.MaxSeries"/>), and <see cref="OverflowFamilyName"/> counts them
/// per family; that counter family is only exposed once something overflowed.
/// </para>
/// <para>
/// Measurement callbacks take no lock and, for a tag list seen before, allocate nothing. Unchecked collector: the
/// instruments are not known up front, so <see cref="Describe"/> yields nothing and the registry validates the
/// families when it gathers them. Dispose it (after unregistering it) to stop listening.
/// </para>
/// </remarks>
public sealed class MeterCollector : ICollector, IDisposable
{
    /// <summary>
    /// Bucket bounds used when neither the instrument nor the options say: OpenTelemetry's default explicit bucket
    /// boundaries.
    /// </summary>
    public static IReadOnlyList<double> OpenTelemetryDefaultBuckets { get; } = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];

    /// <summary>
    /// The counter family of measurements that went to a family's <c>__overflow__</c> series because it had reached
    /// <see cref="MeterCollectorOptions.MaxSeriesPerInstrument"/>, labelled <c>family</c> with the bridged family's
    /// name. Exposed only when something overflowed.
    /// </summary>
    public const string OverflowFamilyName = "meter_bridge_overflow_measurements_total";

    private static readonly Desc OverflowDesc = new(
        OverflowFamilyName,
        "Measurements of bridged System.Diagnostics.Metrics instruments that went to the family's __overflow__ series because it had reached its series cap.",
        ["family"],
        null);

    /// <summary>
    /// Observable counters that report levels, not totals: since .NET 9 the runtime publishes the thread-pool thread
    /// count and queue length as observable counters although both go down. They are exposed as gauges, without
    /// <c>_total</c>.
    /// </summary>
    internal static readonly HashSet<string> LevelReportingCounters = new(StringComparer.Ordinal)
    {
        "dotnet.thread_pool.thread.count",
        "dotnet.thread_pool.queue.length",
    };

    private readonly MeterListener _listener;
    private readonly MeterNameMatcher _matcher;
    private readonly double[] _defaultBuckets;
    private readonly int _maxSeries;
    private readonly Lock _familiesLock = new();
    private readonly Dictionary<string, MeterFamily> _families = new(StringComparer.Ordinal);
    private readonly Lock _scrapeLock = new();
    private MeterFamily[] _snapshot = [];
    private long _scrape;
    private int _disposed;

    /// <summary>Creates the bridge and starts listening to the meters named in <paramref name="options"/>.</summary>
    /// <exception cref="ArgumentException">A meter name is empty, or the default buckets are not increasing and finite.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="MeterCollectorOptions.MaxSeriesPerInstrument"/> is negative.</exception>
    public MeterCollector(MeterCollectorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.MaxSeriesPerInstrument < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxSeriesPerInstrument,
                "MeterCollectorOptions.MaxSeriesPerInstrument must be positive, or 0 for no limit.");
        }
        _maxSeries = options.MaxSeriesPerInstrument;
        _matcher = new MeterNameMatcher(options.Meters ?? []);
        _defaultBuckets = options.DefaultBuckets is { } buckets ? CheckBuckets(buckets) : [.. OpenTelemetryDefaultBuckets];

        _listener = new MeterListener
        {
            InstrumentPublished = OnInstrumentPublished,
            MeasurementsCompleted = OnMeasurementsCompleted,
        };
        _listener.SetMeasurementEventCallback<byte>(static (_, m, tags, state) => ((MeterFamily)state!).Record(m, tags));
        _listener.SetMeasurementEventCallback<short>(static (_, m, tags, state) => ((MeterFamily)state!).Record(m, tags));
        _listener.SetMeasurementEventCallback<int>(static (_, m, tags, state) => ((MeterFamily)state!).Record(m, tags));
        _listener.SetMeasurementEventCallback<long>(static (_, m, tags, state) => ((MeterFamily)state!).Record(m, tags));
        _listener.SetMeasurementEventCallback<float>(static (_, m, tags, state) => ((MeterFamily)state!).Record(m, tags));
        _listener.SetMeasurementEventCallback<double>(static (_, m, tags, state) => ((MeterFamily)state!).Record(m, tags));
        _listener.SetMeasurementEventCallback<decimal>(static (_, m, tags, state) => ((MeterFamily)state!).Record((double)m, tags));
        // Start publishes the instruments that already exist, so everything above must be ready.
        _listener.Start();
    }

    /// <summary>The number of the scrape in progress; observable measurements are stamped with it.</summary>
    internal long CurrentScrape => Volatile.Read(ref _scrape);

    /// <summary>Yields nothing: the bridged instruments are not known in advance (an unchecked collector).</summary>
    public IEnumerable<Desc> Describe() => [];

    /// <inheritdoc />
    /// <remarks>
    /// Reads the observable instruments first. When one of their callbacks throws, the metrics that could be read are
    /// still yielded and the exception is thrown after them, so the registry reports it with the rest of the gather.
    /// </remarks>
    public IEnumerable<IMetric> Collect()
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return [];
        }
        var metrics = new List<IMetric>();
        Exception? failure = null;
        lock (_scrapeLock)
        {
            // Serialised: the observable callbacks stamp their series with this scrape's number.
            var scrape = Interlocked.Increment(ref _scrape);
            try
            {
                _listener.RecordObservableInstruments();
            }
            catch (Exception ex)
            {
                failure = ex;
            }
            var families = Volatile.Read(ref _snapshot);
            foreach (var family in families)
            {
                family.CollectInto(metrics, scrape);
            }
            foreach (var family in families)
            {
                if (family.OverflowMeasurements is > 0 and var overflowed)
                {
                    metrics.Add(ConstMetric.Counter(OverflowDesc, overflowed, family.Name));
                }
            }
        }
        return failure is null ? metrics : ThenThrow(metrics, failure);
    }

    /// <summary>Stops listening. The collector then yields nothing; unregister it from its registry first.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _listener.Dispose();
            lock (_familiesLock)
            {
                _families.Clear();
                Volatile.Write(ref _snapshot, []);
            }
        }
    }

    private static IEnumerable<IMetric> ThenThrow(List<IMetric> metrics, Exception failure)
    {
        foreach (var metric in metrics)
        {
            yield return metric;
        }
        throw new InvalidOperationException($"An observable instrument's callback failed: {failure.Message}", failure);
    }

    private void OnInstrumentPublished(Instrument instrument, MeterListener listener)
    {
        if (Volatile.Read(ref _disposed) != 0 || !_matcher.Matches(instrument.Meter.Name))
        {
            return;
        }
        if (Classify(instrument, out var adviceBuckets) is not { } aggregation)
        {
            return; // a numeric type MeterListener cannot report
        }
        var type = aggregation switch
        {
            MeterAggregation.Sum or MeterAggregation.ObservedCounter => MetricType.Counter,
            MeterAggregation.Histogram => MetricType.Histogram,
            _ => MetricType.Gauge,
        };
        var name = MeterNaming.FamilyName(instrument.Name, instrument.Unit, type, out var unit);
        if (name == OverflowFamilyName)
        {
            return; // the bridge's own counter: exposing both would make an invalid family
        }
        MeterFamily family;
        lock (_familiesLock)
        {
            if (_families.TryGetValue(name, out var existing))
            {
                if (existing.Aggregation != aggregation)
                {
                    return; // same Prometheus name, another kind: exposing both would make an invalid family
                }
                family = existing;
            }
            else
            {
                var bounds = aggregation == MeterAggregation.Histogram ? adviceBuckets ?? _defaultBuckets : null;
                family = new MeterFamily(this, name, Help(instrument), unit, type, aggregation, bounds, _maxSeries)
                {
                    MissingRouteValue = IsAspNetCoreRequestDuration(instrument) ? MeterNaming.UnmatchedRoute : null,
                };
                _families.Add(name, family);
                Volatile.Write(ref _snapshot, [.. _families.Values]);
            }
            family.Instruments++;
        }
        listener.EnableMeasurementEvents(instrument, family);
    }

    private static bool IsAspNetCoreRequestDuration(Instrument instrument) =>
        instrument.Meter.Name == "Microsoft.AspNetCore.Hosting" && instrument.Name == "http.server.request.duration";

    private void OnMeasurementsCompleted(Instrument instrument, object? state)
    {
        if (state is not MeterFamily family)
        {
            return;
        }
        lock (_familiesLock)
        {
            // The instrument's meter was disposed: when no instrument feeds the family any more, its series go.
            if (--family.Instruments == 0 && _families.TryGetValue(family.Name, out var current) && current == family)
            {
                _families.Remove(family.Name);
                Volatile.Write(ref _snapshot, [.. _families.Values]);
            }
        }
    }

    /// <summary>The instrument's description; when it has none, where the family comes from (an empty help fails lint checks).</summary>
    private static string Help(Instrument instrument) =>
        string.IsNullOrWhiteSpace(instrument.Description)
            ? $"Instrument {instrument.Name}{(string.IsNullOrEmpty(instrument.Unit) ? "" : $" ({instrument.Unit})")} of meter {instrument.Meter.Name}."
            : instrument.Description;

    private static MeterAggregation? Classify(Instrument instrument, out double[]? adviceBuckets)
    {
        adviceBuckets = null;
        return Classify<byte>(instrument, ref adviceBuckets)
            ?? Classify<short>(instrument, ref adviceBuckets)
            ?? Classify<int>(instrument, ref adviceBuckets)
            ?? Classify<long>(instrument, ref adviceBuckets)
            ?? Classify<float>(instrument, ref adviceBuckets)
            ?? Classify<double>(instrument, ref adviceBuckets)
            ?? Classify<decimal>(instrument, ref adviceBuckets);
    }

    private static MeterAggregation? Classify<T>(Instrument instrument, ref double[]? adviceBuckets)
        where T : struct
    {
        switch (instrument)
        {
            case Counter<T>:
                return MeterAggregation.Sum;
            case UpDownCounter<T>:
                return MeterAggregation.UpDownSum;
            case Gauge<T>:
                return MeterAggregation.LastValue;
            case Histogram<T> histogram:
                adviceBuckets = AdviceBuckets(histogram.Advice?.HistogramBucketBoundaries);
                return MeterAggregation.Histogram;
            case ObservableCounter<T>:
                return LevelReportingCounters.Contains(instrument.Name) ? MeterAggregation.ObservedUpDownSum : MeterAggregation.ObservedCounter;
            case ObservableUpDownCounter<T>:
                return MeterAggregation.ObservedUpDownSum;
            case ObservableGauge<T>:
                return MeterAggregation.ObservedGauge;
            default:
                return null;
        }
    }

    /// <summary>The advised bucket bounds as doubles, or null when there are none or they are unusable (not increasing, not finite).</summary>
    private static double[]? AdviceBuckets<T>(IReadOnlyList<T>? boundaries)
        where T : struct
    {
        if (boundaries is null || boundaries.Count == 0)
        {
            return null;
        }
        var bounds = new double[boundaries.Count];
        for (var i = 0; i < bounds.Length; i++)
        {
            bounds[i] = Convert.ToDouble(boundaries[i], CultureInfo.InvariantCulture);
            if (!double.IsFinite(bounds[i]) || (i > 0 && bounds[i] <= bounds[i - 1]))
            {
                return null;
            }
        }
        return bounds;
    }

    private static double[] CheckBuckets(double[] buckets)
    {
        for (var i = 0; i < buckets.Length; i++)
        {
            if (!double.IsFinite(buckets[i]) || (i > 0 && buckets[i] <= buckets[i - 1]))
            {
                throw new ArgumentException(
                    $"MeterCollectorOptions.DefaultBuckets must be finite and strictly increasing; bound {i} is {buckets[i].ToString(CultureInfo.InvariantCulture)}.",
                    nameof(buckets));
            }
        }
        return [.. buckets];
    }
}
