namespace Instrumentation.Tests.Core;

public class MetricVecTests
{
    private static CounterVec NewVec(int? maxSeries = null) =>
        new(new CounterOptions { Name = "requests_total", Help = "R.", MaxSeries = maxSeries }, ["code", "method"]);

    [Fact]
    public void WithLabels_returns_the_same_child_for_the_same_values()
    {
        var vec = NewVec();
        var a = vec.WithLabels("200", "GET");
        var b = vec.WithLabels("200", "GET");
        var c = vec.WithLabels("200", "POST");
        Assert.Same(a, b);
        Assert.NotSame(a, c);
        Assert.Equal(2, vec.Count);
    }

    [Fact]
    public void WithLabels_with_wrong_count_names_expected_and_given_labels()
    {
        var vec = NewVec();
        var ex = Assert.Throws<ArgumentException>(() => vec.WithLabels("200"));
        Assert.Contains("requests_total", ex.Message);
        Assert.Contains("code, method", ex.Message);
        Assert.Contains("\"200\"", ex.Message);
        Assert.Contains("expects 2", ex.Message);
    }

    [Fact]
    public void Null_label_value_throws_naming_the_label()
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() => NewVec().WithLabels("200", null!));
        Assert.Contains("method", ex.Message);
    }

    [Fact]
    public void WithLabels_by_map_matches_positional()
    {
        var vec = NewVec();
        var child = vec.WithLabels(new Dictionary<string, string> { ["method"] = "GET", ["code"] = "200" });
        Assert.Same(vec.WithLabels("200", "GET"), child);
        Assert.Throws<ArgumentException>(() => vec.WithLabels(new Dictionary<string, string> { ["code"] = "200" }));
        Assert.Throws<ArgumentException>(() => vec.WithLabels(new Dictionary<string, string> { ["code"] = "200", ["nope"] = "x" }));
    }

    [Fact]
    public void Remove_and_RemovePartialMatch_and_Clear()
    {
        var vec = NewVec();
        vec.WithLabels("200", "GET").Inc();
        vec.WithLabels("200", "POST").Inc();
        vec.WithLabels("500", "GET").Inc();
        Assert.True(vec.Remove("200", "POST"));
        Assert.False(vec.Remove("200", "POST"));
        Assert.Equal(2, vec.Count);
        Assert.Equal(2, vec.RemovePartialMatch(new Dictionary<string, string> { ["method"] = "GET" }));
        Assert.Equal(0, vec.Count);
        vec.WithLabels("1", "2");
        vec.Clear();
        Assert.Empty(vec.Collect());
        Assert.Equal(0, vec.WithLabels("200", "GET").Value);
    }

    [Fact]
    public void Series_appear_with_their_label_values()
    {
        var registry = new Registry();
        var vec = NewVec();
        registry.Register(vec);
        vec.WithLabels("200", "GET").Add(3);
        var point = Assert.Single(Assert.Single(registry.Gather()).Metrics);
        Assert.Equal([new LabelPair("code", "200"), new LabelPair("method", "GET")], point.Labels);
        Assert.Equal(3, point.Value);
    }

    [Fact]
    public void CurryWith_fixes_labels_and_shares_children()
    {
        var vec = NewVec();
        var get = vec.CurryWith(new Dictionary<string, string> { ["method"] = "GET" });
        get.WithLabels("404").Inc();
        Assert.Equal(1, vec.WithLabels("404", "GET").Value);
        Assert.Throws<ArgumentException>(() => get.WithLabels("404", "GET"));
        Assert.Throws<ArgumentException>(() => get.CurryWith(new Dictionary<string, string> { ["method"] = "POST" }));
        Assert.Throws<ArgumentException>(() => vec.CurryWith(new Dictionary<string, string> { ["nope"] = "x" }));
        Assert.True(get.Remove("404"));
        Assert.Equal(0, vec.Count);
    }

    [Fact]
    public void MaxSeries_sends_new_combinations_to_an_overflow_series()
    {
        var vec = NewVec(maxSeries: 2);
        vec.WithLabels("1", "a").Inc();
        vec.WithLabels("2", "a").Inc();
        vec.WithLabels("3", "a").Inc();
        vec.WithLabels("4", "a").Inc();
        Assert.Equal(2, vec.DroppedSeries);
        var overflow = vec.Collect().Cast<Counter>().Single(c => c.Labels.GetValue("code") == CounterVec.OverflowLabelValue);
        Assert.Equal(2, overflow.Value);
        Assert.Equal(1, vec.WithLabels("1", "a").Value);
    }

    [Fact]
    public void A_child_whose_values_are_all_the_overflow_value_is_reported_as_the_overflow_series_duplicate()
    {
        var registry = new Registry();
        var vec = NewVec(maxSeries: 2);
        registry.MustRegister(vec);
        vec.WithLabels(CounterVec.OverflowLabelValue, CounterVec.OverflowLabelValue).Inc();
        vec.WithLabels("1", "a").Inc();
        vec.WithLabels("2", "a").Inc();

        var ex = Assert.Throws<GatherException>(() => registry.Gather());
        Assert.Contains(ex.Errors, e => e.Contains("was collected before with the same name and label values", StringComparison.Ordinal));
        // Beside the registry's own metrics_series_dropped_total (the family dropped a label set).
        var family = Assert.Single(ex.Families, f => f.Name == vec.Desc.FqName);
        Assert.Equal(2, family.Metrics.Count);
    }

    [Fact]
    public void Gathering_a_large_family_repeatedly_keeps_series_order_values_and_an_earlier_plain_result()
    {
        var registry = new Registry();
        var vec = NewVec(maxSeries: null);
        registry.MustRegister(vec);
        for (var i = 999; i >= 0; i--)
        {
            vec.WithLabels(i.ToString(), i % 2 == 0 ? "a" : "b").Add(i);
        }
        var buffer = new GatherBuffer();
        registry.Gather(buffer);
        var kept = registry.Gather();
        vec.WithLabels("5", "b").Inc();
        var again = registry.Gather(buffer);

        var expected = Enumerable.Range(0, 1000).Select(i => i.ToString()).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, kept.Single().Metrics.Select(p => p.Labels.GetValue("code")!).ToList());
        Assert.Equal(5, kept.Single().Metrics.Single(p => p.Labels.GetValue("code") == "5").Value);
        Assert.Equal(6, again.Single().Metrics.Single(p => p.Labels.GetValue("code") == "5").Value);
    }

    [Fact]
    public async Task A_full_family_flooded_with_new_values_from_many_threads_loses_no_update()
    {
        var vec = NewVec(maxSeries: 10);
        const int Threads = 4, PerThread = 20_000;
        await Task.WhenAll(Enumerable.Range(0, Threads).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < PerThread; i++)
            {
                vec.WithLabels((i % 50).ToString(), "t" + t).Inc();
            }
        })));

        var total = vec.Collect().Cast<Counter>().Sum(c => c.Value);
        var overflow = vec.Collect().Cast<Counter>().Single(c => c.Labels.GetValue("code") == CounterVec.OverflowLabelValue);
        Assert.Equal(Threads * PerThread, total);
        Assert.Equal(10, vec.Count);
        Assert.Equal(overflow.Value, vec.DroppedSeries);
    }

    [Fact]
    public void Gauge_and_histogram_vecs_create_children_of_their_kind()
    {
        var gauges = new GaugeVec(new GaugeOptions { Name = "g", Help = "G." }, ["q"]);
        gauges.WithLabels("x").Set(3);
        Assert.Equal(3, gauges.WithLabels("x").Value);
        var histograms = new HistogramVec(new HistogramOptions { Name = "h", Help = "H.", Buckets = [1] }, ["q"]);
        histograms.WithLabels("x").Observe(0.5);
        Assert.Equal(1UL, histograms.WithLabels("x").Count);
        Assert.Equal([1.0], histograms.WithLabels("y").UpperBounds);
    }

    [Fact]
    public void Invalid_label_name_fails_at_registration()
    {
        var vec = new CounterVec(new CounterOptions { Name = "x_total", Help = "X." }, ["bad-label"]);
        var ex = Assert.Throws<InvalidMetricDescriptorException>(() => new Registry().Register(vec));
        Assert.Contains("bad-label", ex.Message);
    }
}
