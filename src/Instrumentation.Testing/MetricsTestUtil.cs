using System.Text;
using Instrumentation.Exposition;

namespace Instrumentation.Testing;

/// <summary>
/// Helpers for unit tests of instrumented code and of custom collectors: read the value of one metric, count series,
/// and compare what a collector or gatherer exposes with expected Prometheus text.
/// </summary>
/// <remarks>
/// <para>A unit test should mostly test your code, not this library: prefer checking that the right metric was
/// incremented (<see cref="ToDouble(ICollector)"/>) over comparing whole expositions. <see cref="CollectAndCompare"/> and
/// <see cref="GatherAndCompare"/> fit best where the exposition <em>is</em> the product: custom collectors and exporters
/// that turn another system's numbers into metrics.</para>
/// <para>These helpers collect and format on every call; they are for tests, never for reading values in production
/// code (track the value yourself and expose it with a <see cref="GaugeFunc"/> instead).</para>
/// </remarks>
/// <example>
/// <code>
/// var requests = new CounterVec(new CounterOptions { Name = "http_requests_total", Help = "Requests served." }, ["method"]);
/// requests.WithLabels("GET").Inc();
///
/// Assert.Equal(1, MetricsTestUtil.ToDouble(requests.WithLabels("GET")));
/// Assert.Equal(1, MetricsTestUtil.CollectAndCount(requests));
/// MetricsTestUtil.CollectAndCompare(requests, """
///     # HELP http_requests_total Requests served.
///     # TYPE http_requests_total counter
///     http_requests_total{method="GET"} 1
///     """);
/// </code>
/// </example>
public static class MetricsTestUtil
{
    /// <summary>
    /// Returns the value of the one metric <paramref name="collector"/> collects, which must be a counter, a gauge or an
    /// untyped metric: typically a <see cref="Counter"/> or <see cref="Gauge"/>, a child from <c>WithLabels</c>, a
    /// <see cref="GaugeFunc"/>, or a labelled family with exactly one series.
    /// </summary>
    /// <param name="collector">The collector to read.</param>
    /// <returns>The metric's current value.</returns>
    /// <exception cref="InvalidOperationException">
    /// The collector collected no metric or more than one (the message names how many and which), the metric is a
    /// histogram, summary or other multi-value type, or writing it failed.
    /// </exception>
    public static double ToDouble(ICollector collector)
    {
        ArgumentNullException.ThrowIfNull(collector);
        var metrics = collector.Collect().ToList();
        if (metrics.Count == 0)
        {
            throw new InvalidOperationException(
                "ToDouble needs a collector that collects exactly one metric, but it collected none" + DescribedNames(collector) + ".");
        }
        if (metrics.Count > 1)
        {
            const int listed = 10;
            var names = string.Join(", ", metrics.Take(listed).Select(SeriesName)) + (metrics.Count > listed ? $", … ({metrics.Count - listed} more)" : "");
            throw new InvalidOperationException(
                $"ToDouble needs a collector that collects exactly one metric, but it collected {metrics.Count}: {names}. " +
                "Pick one series with WithLabels, or check them all with CollectAndCompare.");
        }

        var metric = metrics[0];
        var point = Write(metric);
        return metric.Type switch
        {
            MetricType.Counter or MetricType.Gauge or MetricType.Untyped => point.Value,
            _ => throw new InvalidOperationException(
                $"ToDouble reads only counters, gauges and untyped metrics, but {metric.Desc.FqName}{TextSample.Render(point.Labels, except: null)} " +
                $"is {TypeName(metric.Type)}; check it with CollectAndCompare."),
        };
    }

    /// <summary>
    /// Returns the value of <paramref name="counter"/>: a <see cref="Counter"/>, a child from <c>WithLabels</c>, or an
    /// injected typed counter <see cref="ICounter{TDefinition}"/> (whose definition declares no labels, or whose family
    /// has exactly one series) — read as <see cref="ToDouble(ICollector)"/> reads the metric behind it.
    /// </summary>
    /// <param name="counter">The counter to read.</param>
    /// <returns>The counter's current value.</returns>
    /// <exception cref="InvalidOperationException">A labelled typed counter has no series or more than one.</exception>
    public static double ToDouble(ICounter counter)
    {
        ArgumentNullException.ThrowIfNull(counter);
        return ReadAsCollector(counter) ?? counter.Value;
    }

    /// <summary>
    /// Returns the value of <paramref name="gauge"/>: a <see cref="Gauge"/>, a child from <c>WithLabels</c>, or an
    /// injected typed gauge <see cref="IGauge{TDefinition}"/> (whose definition declares no labels, or whose family has
    /// exactly one series) — read as <see cref="ToDouble(ICollector)"/> reads the metric behind it.
    /// </summary>
    /// <param name="gauge">The gauge to read.</param>
    /// <returns>The gauge's current value.</returns>
    /// <exception cref="InvalidOperationException">A labelled typed gauge has no series or more than one.</exception>
    public static double ToDouble(IGauge gauge)
    {
        ArgumentNullException.ThrowIfNull(gauge);
        return ReadAsCollector(gauge) ?? gauge.Value;
    }

    /// <summary>Returns the value of <paramref name="counter"/> (see <see cref="ToDouble(ICollector)"/>).</summary>
    /// <param name="counter">The counter to read.</param>
    /// <returns>The counter's current value.</returns>
    // A Counter is both an ICounter and an ICollector: this overload settles which one a call with a Counter picks.
    public static double ToDouble(Counter counter) => ToDouble((ICollector)counter);

    /// <summary>Returns the value of <paramref name="gauge"/> (see <see cref="ToDouble(ICollector)"/>).</summary>
    /// <param name="gauge">The gauge to read.</param>
    /// <returns>The gauge's current value.</returns>
    // A Gauge is both an IGauge and an ICollector: this overload settles which one a call with a Gauge picks.
    public static double ToDouble(Gauge gauge) => ToDouble((ICollector)gauge);

    private static double? ReadAsCollector(object series) => series switch
    {
        ICollector collector => ToDouble(collector),
        ITypedMetric typed => ToDouble(typed.Metric),
        _ => null,   // a user's own implementation: its Value is all there is
    };

    /// <summary>
    /// Registers <paramref name="collector"/> with a new <see cref="Registry"/>, gathers it, and returns how many series
    /// it exposes (a histogram or summary series counts once), counting only the families named in
    /// <paramref name="metricNames"/> when any are given.
    /// </summary>
    /// <param name="collector">The collector to count.</param>
    /// <param name="metricNames">Family names to count (a counter's name includes its <c>_total</c>); none means all.</param>
    /// <returns>The number of series.</returns>
    /// <exception cref="ArgumentException">The collector cannot be registered (an invalid or inconsistent descriptor).</exception>
    /// <exception cref="GatherException">Gathering found a problem (a throwing collector, duplicate series, …).</exception>
    public static int CollectAndCount(ICollector collector, params string[] metricNames)
    {
        ArgumentNullException.ThrowIfNull(collector);
        return GatherAndCount(RegistryWith(collector), metricNames);
    }

    /// <summary>
    /// Gathers <paramref name="gatherer"/> and returns how many series it exposes (a histogram or summary series counts
    /// once), counting only the families named in <paramref name="metricNames"/> when any are given.
    /// </summary>
    /// <param name="gatherer">The registry (or other gatherer) to count.</param>
    /// <param name="metricNames">Family names to count (a counter's name includes its <c>_total</c>); none means all.</param>
    /// <returns>The number of series.</returns>
    /// <exception cref="GatherException">Gathering found a problem.</exception>
    public static int GatherAndCount(IGatherer gatherer, params string[] metricNames)
    {
        ArgumentNullException.ThrowIfNull(gatherer);
        ArgumentNullException.ThrowIfNull(metricNames);
        return Filter(gatherer.Gather(), metricNames).Sum(f => f.Metrics.Count);
    }

    /// <summary>
    /// Registers <paramref name="collector"/> with a new <see cref="Registry"/> (so its descriptors and series are
    /// checked as in production), gathers it, and compares the result with <paramref name="expectedText"/>; see
    /// <see cref="GatherAndCompare"/> for how the comparison works.
    /// </summary>
    /// <param name="collector">The collector to check.</param>
    /// <param name="expectedText">The expected metrics in the Prometheus text format.</param>
    /// <param name="metricNames">Family names to compare (on both sides); none means all.</param>
    /// <exception cref="MetricsComparisonException">The metrics differ; the message lists every difference and the collected text.</exception>
    /// <exception cref="FormatException"><paramref name="expectedText"/> is not valid text format; the message names the line.</exception>
    /// <exception cref="ArgumentException">The collector cannot be registered (an invalid or inconsistent descriptor).</exception>
    /// <exception cref="GatherException">Gathering found a problem (a throwing collector, duplicate series, …).</exception>
    public static void CollectAndCompare(ICollector collector, string expectedText, params string[] metricNames)
    {
        ArgumentNullException.ThrowIfNull(collector);
        ArgumentNullException.ThrowIfNull(expectedText);
        GatherAndCompare(RegistryWith(collector), expectedText, metricNames);
    }

    /// <summary>
    /// Gathers <paramref name="gatherer"/> and compares the result with <paramref name="expectedText"/>, written in
    /// the Prometheus text format (0.0.4). Only families named in <paramref name="metricNames"/> are compared, on both
    /// sides, when any are given.
    /// </summary>
    /// <remarks>
    /// <para>The gathered metrics are written with <see cref="TextFormat"/>, and both texts are read into families of
    /// samples and compared as data, so the expected text may be written naturally: blank lines, indentation and
    /// spacing do not matter, labels may come in any order, values are compared as numbers (<c>1</c> equals
    /// <c>1.0</c> and <c>1e0</c>; <c>+Inf</c>, <c>-Inf</c> and <c>NaN</c> work, and NaN equals NaN), and so are a
    /// histogram's <c>le</c> and a summary's <c>quantile</c> labels. HELP and TYPE are compared too: a family without a
    /// <c># HELP</c> line is expected to have empty help, one without <c># TYPE</c> is untyped.</para>
    /// <para>What the text format does not carry is not compared: exemplars, <c>_created</c> samples and units. Info and
    /// stateset families appear as gauges and gauge histograms as histograms, exactly as in a scrape; a family without
    /// series is not exposed, so it cannot be expected either.</para>
    /// </remarks>
    /// <param name="gatherer">The registry (or other gatherer) to check.</param>
    /// <param name="expectedText">The expected metrics in the Prometheus text format.</param>
    /// <param name="metricNames">Family names to compare (on both sides; a counter's name includes its <c>_total</c>); none means all.</param>
    /// <exception cref="MetricsComparisonException">The metrics differ; the message lists every difference and the collected text.</exception>
    /// <exception cref="FormatException"><paramref name="expectedText"/> is not valid text format; the message names the line.</exception>
    /// <exception cref="GatherException">Gathering found a problem.</exception>
    public static void GatherAndCompare(IGatherer gatherer, string expectedText, params string[] metricNames)
    {
        ArgumentNullException.ThrowIfNull(gatherer);
        ArgumentNullException.ThrowIfNull(expectedText);
        ArgumentNullException.ThrowIfNull(metricNames);
        var expected = ExpositionTextParser.Parse(expectedText, "expected text");
        var gathered = Filter(gatherer.Gather(), metricNames);

        var stream = new MemoryStream();
        TextFormat.Write(stream, gathered);
        var actualText = Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length);
        var actual = ExpositionTextParser.Parse(actualText, "collected text");

        if (metricNames.Length > 0)
        {
            // The writer escapes names the text format cannot carry (a.b → a_b); accept either spelling in the filter.
            var names = metricNames.Concat(metricNames.Select(n => NameEscaping.EscapeMetricName(n, EscapingScheme.Underscores))).ToHashSet(StringComparer.Ordinal);
            // An info family's text name is <base>_info (see TextFormat): a filter by its registered name covers that too.
            foreach (var family in gathered.Where(f => f.Type == MetricType.Info))
            {
                var escaped = NameEscaping.EscapeMetricName(family.Name, EscapingScheme.Underscores);
                names.Add(escaped.EndsWith("_info", StringComparison.Ordinal) ? escaped : escaped + "_info");
            }
            expected = expected.Where(f => names.Contains(f.Name)).ToList();
        }
        var differences = ExpositionComparer.Compare(expected, actual);
        if (differences.Count > 0)
        {
            throw new MetricsComparisonException(differences, actualText);
        }
    }

    private static Registry RegistryWith(ICollector collector)
    {
        var registry = new Registry();
        registry.Register(collector);
        return registry;
    }

    private static IReadOnlyList<MetricFamily> Filter(IReadOnlyList<MetricFamily> families, string[] metricNames)
    {
        if (metricNames.Length == 0)
        {
            return families;
        }
        return families.Where(f => metricNames.Contains(f.Name, StringComparer.Ordinal)).ToList();
    }

    private static MetricPoint Write(IMetric metric)
    {
        var point = new MetricPoint();
        try
        {
            metric.Write(point);
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidOperationException($"Reading {metric.Desc.FqName} failed: {e.Message}", e);
        }
        return point;
    }

    private static string SeriesName(IMetric metric)
    {
        var point = new MetricPoint();
        try
        {
            metric.Write(point);
        }
        catch (InvalidOperationException)
        {
            return metric.Desc.FqName; // the labels are only a courtesy in this message
        }
        return metric.Desc.FqName + TextSample.Render(point.Labels, except: null);
    }

    private static string DescribedNames(ICollector collector)
    {
        var descs = collector.Describe().ToList();
        if (descs.Count == 0)
        {
            return "";
        }
        var names = string.Join(", ", descs.Select(d => d.FqName).Distinct());
        return descs.Any(d => d.VariableLabels.Count > 0)
            ? $" (it describes {names}; a labelled family has no series until WithLabels creates one)"
            : $" (it describes {names})";
    }

    private static string TypeName(MetricType type) => type switch
    {
        MetricType.Info => "an info metric",
        MetricType.StateSet => "a stateset",
        MetricType.GaugeHistogram => "a gauge histogram",
        _ => "a " + type.ToString().ToLowerInvariant(),
    };
}
