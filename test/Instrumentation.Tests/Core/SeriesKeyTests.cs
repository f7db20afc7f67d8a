using System.Buffers;
using System.Text;
using Instrumentation.Exposition;

namespace Instrumentation.Tests.Core;

/// <summary>
/// A labelled child keeps its label values in its series key and its family's schema, not a label set: a scrape
/// writes it from those (caching the encoded bytes on the key), a label set is built only when someone asks for one
/// and is then the same instance every time, and the family index chained through the keys stays consistent while
/// it grows under concurrent look-ups and scrapes.
/// </summary>
public class SeriesKeyTests
{
    private static object? CacheSlot(IMetric child) => ((ISeriesChild)child).SeriesKey[^1];

    private static string Write(IReadOnlyList<MetricFamily> families, ExpositionFormatKind kind)
    {
        var buffer = new ArrayBufferWriter<byte>();
        ExpositionWriter.Write(buffer, families, ExpositionFormat.Create(kind));
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [Fact]
    public void A_scrape_writes_labelled_children_without_building_their_label_sets()
    {
        var registry = new Registry();
        var vec = new CounterVec(new CounterOptions { Name = "c_total", Help = "C.", ConstLabels = new Dictionary<string, string> { ["env"] = "prod" } }, ["zone", "app"]);
        registry.Register(vec);
        var child = vec.WithLabels("eu", "shop");
        child.Inc();
        vec.WithLabels("us", "shop\"x").Add(2);

        var text = Write(registry.Gather(), ExpositionFormatKind.PrometheusText);

        Assert.Contains("c_total{app=\"shop\",env=\"prod\",zone=\"eu\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("c_total{app=\"shop\\\"x\",env=\"prod\",zone=\"us\"} 2\n", text, StringComparison.Ordinal);
        Assert.Equal("app=\"shop\",env=\"prod\",zone=\"eu\"", Encoding.UTF8.GetString(Assert.IsType<byte[]>(CacheSlot(child))));

        // The second scrape writes the same bytes from the cache; protobuf caches its encoding beside the text one.
        Assert.Equal(text, Write(registry.Gather(), ExpositionFormatKind.PrometheusText));
        Write(registry.Gather(), ExpositionFormatKind.Protobuf);
        Assert.IsNotType<LabelSet>(CacheSlot(child));
        Assert.Equal(text, Write(registry.Gather(), ExpositionFormatKind.PrometheusText));
    }

    [Fact]
    public void A_child_s_labels_are_built_on_demand_once_and_shared_with_the_gathered_point()
    {
        var registry = new Registry();
        var vec = new HistogramVec(new HistogramOptions { Name = "h", Help = "H.", Buckets = [1], ConstLabels = new Dictionary<string, string> { ["b"] = "const" } }, ["c", "a"]);
        registry.Register(vec);
        var child = vec.WithLabels("3", "1");
        child.Observe(0.5);
        var text = Write(registry.Gather(), ExpositionFormatKind.PrometheusText);

        var labels = child.Labels;
        Assert.Same(labels, child.Labels);
        Assert.Same(labels, CacheSlot(child));
        Assert.Equal([new LabelPair("a", "1"), new LabelPair("b", "const"), new LabelPair("c", "3")], labels.ToArray());
        var point = Assert.Single(Assert.Single(registry.Gather()).Metrics);
        Assert.Same(labels, point.Labels);
        // With the label set in the slot, the encodings are kept on it and the output is unchanged.
        Assert.Equal(text, Write(registry.Gather(), ExpositionFormatKind.PrometheusText));
        Assert.Equal(text, Write(registry.Gather(), ExpositionFormatKind.PrometheusText));
        Assert.IsType<byte[]>(labels.EncodedCache);
    }

    [Fact]
    public void A_point_whose_labels_are_replaced_no_longer_uses_the_series_encoding()
    {
        var vec = new GaugeVec(new GaugeOptions { Name = "g", Help = "G." }, ["k"]);
        var child = vec.WithLabels("v");
        Write([new MetricFamily("g", "G.", MetricType.Gauge, [Point(child)])], ExpositionFormatKind.PrometheusText);
        var point = Point(child);
        point.NoteLabelEncoding();
        point.Labels = new LabelSet([new LabelPair("k", "other")]);

        Assert.Equal("# HELP g G.\n# TYPE g gauge\ng{k=\"other\"} 0\n", Write([new MetricFamily("g", "G.", MetricType.Gauge, [point])], ExpositionFormatKind.PrometheusText));

        static MetricPoint Point(IMetric metric)
        {
            var point = new MetricPoint();
            metric.Write(point);
            return point;
        }
    }

    [Fact]
    public async Task Scrapes_and_look_ups_while_the_table_grows_see_every_child_once()
    {
        var vec = new CounterVec(new CounterOptions { Name = "c_total", Help = "C." }, ["k"]);
        var stable = Enumerable.Range(0, 64).Select(i => vec.WithLabels("stable" + i)).ToArray();
        using var stop = new CancellationTokenSource();
        // Growing from 64 to 20,064 children doubles the table ten times, relinking every key each time.
        var grower = Task.Run(() =>
        {
            for (var i = 0; i < 20_000; i++)
            {
                vec.WithLabels("grown" + i);
            }
        });
        var scraper = Task.Run(() =>
        {
            var last = 0;
            while (!grower.IsCompleted)
            {
                var seen = vec.Collect().Cast<Counter>().Select(c => c.Labels.GetValue("k")).ToArray();
                Assert.Equal(seen.Length, seen.Distinct(StringComparer.Ordinal).Count());
                Assert.True(seen.Length >= last, $"A scrape saw {seen.Length} children after one saw {last}.");
                last = seen.Length;
            }
        });
        while (!grower.IsCompleted)
        {
            for (var i = 0; i < stable.Length; i++)
            {
                Assert.Same(stable[i], vec.WithLabels("stable" + i));
            }
        }
        await Task.WhenAll(grower, scraper);

        Assert.Equal(20_064, vec.Count);
        Assert.Equal(20_064, vec.Collect().Count());
    }

    [Fact]
    public void A_scrape_or_look_up_in_the_middle_of_a_relink_sees_every_child_once()
    {
        var vec = new CounterVec(new CounterOptions { Name = "c_total", Help = "C." }, ["k"]);
        // 16 children fill the initial table: the 17th grows it, and halfway through relinking the keys another
        // thread scrapes and looks children up.
        var children = Enumerable.Range(0, 16).Select(i => vec.WithLabels("v" + i)).ToArray();
        string?[]? seen = null;
        Counter[]? found = null;
        Thread? other = null;
        vec.RelinkHook = () =>
        {
            vec.RelinkHook = null;
            other = new Thread(() =>
            {
                seen = [.. vec.Collect().Cast<Counter>().Select(c => c.Labels.GetValue("k"))];
                found = [.. Enumerable.Range(0, 16).Select(i => vec.WithLabels("v" + i))];
            });
            other.Start();
            // Give it time to walk the half-relinked table (it waits for the lock instead when it sees the relink).
            other.Join(TimeSpan.FromMilliseconds(300));
        };

        var grown = vec.WithLabels("v16");
        Assert.NotNull(other);
        other!.Join();

        Assert.Equal(seen!.Length, seen.Distinct(StringComparer.Ordinal).Count());
        Assert.InRange(seen.Length, 16, 17);
        Assert.Equal(children, found!);
        Assert.Equal(17, vec.Collect().Count());
        Assert.Same(grown, vec.WithLabels("v16"));
    }

    [Fact]
    public async Task A_counter_with_a_fraction_and_an_exemplar_counts_contended_whole_increments_exactly()
    {
        var counter = new Counter(new CounterOptions { Name = "c_total", Help = "C." });
        counter.Add(0.5);
        counter.AddWithExemplar(1, [new LabelPair("trace_id", "abc")]);
        const int PerThread = 100_000;
        using var start = new Barrier(2);
        var writers = Enumerable.Range(0, 2).Select(_ => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < PerThread; i++)
            {
                counter.Inc();
            }
        }, TaskCreationOptions.LongRunning)).ToArray();
        await Task.WhenAll(writers);

        Assert.Equal(2 * PerThread + 1.5, counter.Value);
        var point = new MetricPoint();
        counter.Write(point);
        Assert.Equal("abc", point.Exemplar!.Labels.GetValue("trace_id"));
    }

    [Fact]
    public void A_counter_past_the_integer_range_keeps_counting_in_its_double_with_or_without_cells()
    {
        var counter = new Counter(new CounterOptions { Name = "c_total", Help = "C." });
        for (var i = 0; i < 1024; i++)
        {
            counter.Add(StripedCount.MaxDelta);
        }
        counter.Inc();
        Assert.True(counter.Value >= 1024.0 * StripedCount.MaxDelta);
        var before = counter.Value;
        counter.SwitchToCells();
        counter.Add(StripedCount.MaxDelta);

        Assert.True(counter.Value > before);
    }
}
