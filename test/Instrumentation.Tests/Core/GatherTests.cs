namespace Instrumentation.Tests.Core;

public class GatherTests
{
    [Fact]
    public void Families_are_sorted_by_name_and_series_by_label_values()
    {
        var registry = new Registry();
        var b = new CounterVec(new CounterOptions { Name = "b_total", Help = "B." }, ["code", "method"]);
        var a = new Gauge(new GaugeOptions { Name = "a", Help = "A." });
        registry.MustRegister(b, a);
        b.WithLabels("500", "GET").Inc();
        b.WithLabels("200", "POST").Inc();
        b.WithLabels("200", "GET").Inc();

        var families = registry.Gather();
        Assert.Equal(["a", "b_total"], families.Select(f => f.Name));
        Assert.Equal(["200/GET", "200/POST", "500/GET"],
            families[1].Metrics.Select(m => m.Labels.GetValue("code") + "/" + m.Labels.GetValue("method")));
    }

    [Fact]
    public void Throwing_collector_is_reported_and_others_still_gathered()
    {
        var registry = new Registry();
        var good = new Counter(new CounterOptions { Name = "good_total", Help = "G." });
        registry.MustRegister(good, new ThrowingCollector());
        good.Inc();

        var ex = Assert.Throws<GatherException>(() => registry.Gather());
        Assert.Contains(ex.Errors, e => e.Contains("boom") && e.Contains("broken_total"));
        Assert.Equal("good_total", Assert.Single(ex.Families).Name);
    }

    [Fact]
    public void Throwing_gauge_func_is_reported_and_others_still_gathered()
    {
        var registry = new Registry();
        registry.MustRegister(
            new GaugeFunc(new GaugeOptions { Name = "fails", Help = "F." }, () => throw new InvalidOperationException("no value")),
            new GaugeFunc(new GaugeOptions { Name = "works", Help = "W." }, () => 42));
        var ex = Assert.Throws<GatherException>(() => registry.Gather());
        Assert.Contains(ex.Errors, e => e.Contains("no value") && e.Contains("fails"));
        Assert.Equal(42, Assert.Single(Assert.Single(ex.Families).Metrics).Value);
    }

    [Fact]
    public void All_problems_are_collected_together()
    {
        var registry = new Registry();
        registry.MustRegister(new ThrowingCollector(), new DuplicateSeriesCollector(), new UndescribedMetricCollector());
        var ex = Assert.Throws<GatherException>(() => registry.Gather());
        Assert.Equal(3, ex.Errors.Count);
        Assert.Contains(ex.Errors, e => e.Contains("collected before with the same name and label values"));
        Assert.Contains(ex.Errors, e => e.Contains("did not describe"));
        Assert.Contains(ex.Errors, e => e.Contains("boom"));
        Assert.Contains("3 errors", ex.Message);
        // The first sample of the duplicated series still gathered.
        Assert.Contains(ex.Families, f => f.Name == "dup_total");
    }

    [Fact]
    public void Duplicate_series_are_reported_each_time_and_the_first_collected_is_kept()
    {
        var desc = new Desc("dup_total", "D.", ["k"], null);
        var registry = new Registry();
        registry.Register(new LambdaCollector(() =>
        [
            ConstMetric.Counter(desc, 1, "x"),
            ConstMetric.Counter(desc, 2, "y"),
            ConstMetric.Counter(desc, 3, "x"),
            ConstMetric.Counter(desc, 4, "a"),
            ConstMetric.Counter(desc, 5, "x"),
            ConstMetric.Counter(desc, 6, "y"),
        ]));

        for (var scrape = 0; scrape < 3; scrape++)
        {
            var ex = Assert.Throws<GatherException>(() => registry.Gather());
            Assert.Equal(3, ex.Errors.Count(e => e.Contains("dup_total") && e.Contains("collected before")));
            var family = Assert.Single(ex.Families);
            Assert.Equal(["a=4", "x=1", "y=2"], family.Metrics.Select(m => m.Labels.GetValue("k") + "=" + m.Value));
        }
    }

    [Fact]
    public void Inconsistent_help_from_an_unchecked_collector_is_reported()
    {
        var registry = new Registry();
        var counter = new Counter(new CounterOptions { Name = "x_total", Help = "Right help." });
        registry.MustRegister(counter, new LambdaCollector(() =>
            [ConstMetric.Counter(new Desc("x_total", "Wrong help.", null, new Dictionary<string, string> { ["a"] = "b" }), 1)]));
        var ex = Assert.Throws<GatherException>(() => registry.Gather());
        Assert.Contains(ex.Errors, e => e.Contains("has help \"Wrong help.\" but should have \"Right help.\""));
    }

    [Fact]
    public void Wrong_type_for_the_family_is_reported()
    {
        var registry = new Registry();
        registry.MustRegister(new Counter(new CounterOptions { Name = "x_total", Help = "X." }), new LambdaCollector(() =>
            [ConstMetric.Gauge(new Desc("x_total", "X.", null, new Dictionary<string, string> { ["a"] = "b" }), 1)]));
        var ex = Assert.Throws<GatherException>(() => registry.Gather());
        Assert.Contains(ex.Errors, e => e.Contains("is a Gauge but should be a Counter"));
    }

    [Fact]
    public void Inconsistent_label_names_are_reported()
    {
        var registry = new Registry();
        registry.Register(new LambdaCollector(() =>
        [
            ConstMetric.Gauge(new Desc("g", "G.", ["a"], null), 1, "x"),
            ConstMetric.Gauge(new Desc("g", "G.", ["b"], null), 1, "x"),
        ]));
        var ex = Assert.Throws<GatherException>(() => registry.Gather());
        Assert.Contains(ex.Errors, e => e.Contains("inconsistent"));
    }

    [Fact]
    public void Gatherers_merge_registries_and_report_duplicates()
    {
        var r1 = new Registry();
        var r2 = new Registry();
        var c1 = new Counter(new CounterOptions { Name = "a_total", Help = "A." });
        var c2 = new Counter(new CounterOptions { Name = "b_total", Help = "B." });
        r1.Register(c1);
        r2.Register(c2);
        Assert.Equal(["a_total", "b_total"], new Gatherers(r2, r1).Gather().Select(f => f.Name));

        r2.Register(new Counter(new CounterOptions { Name = "a_total", Help = "A." }));
        var ex = Assert.Throws<GatherException>(() => new Gatherers(r1, r2).Gather());
        Assert.Contains(ex.Errors, e => e.Contains("a_total") && e.Contains("collected before"));
        Assert.Equal(2, ex.Families.Count);
    }

    [Fact]
    public void Wrapping_with_prefix_and_labels_renames_and_labels_series()
    {
        var registry = new Registry();
        var wrapped = registry.WrapWithPrefix("app_").WrapWithLabels(new Dictionary<string, string> { ["shard"] = "1" });
        var counter = new Counter(new CounterOptions { Name = "jobs_total", Help = "Jobs." });
        wrapped.Register(counter);
        counter.Inc();

        var family = Assert.Single(registry.Gather());
        Assert.Equal("app_jobs_total", family.Name);
        Assert.Equal("1", Assert.Single(family.Metrics).Labels.GetValue("shard"));

        var ex = Assert.Throws<AlreadyRegisteredException>(() => wrapped.Register(counter));
        Assert.Same(counter, ex.ExistingCollector);
        Assert.True(wrapped.Unregister(counter));
        Assert.Empty(registry.Gather());
    }

    internal sealed class ThrowingCollector : ICollector
    {
        private readonly Desc _desc = new("broken_total", "Broken.", null, null);

        public IEnumerable<Desc> Describe() => [_desc];

        public IEnumerable<IMetric> Collect() => throw new InvalidOperationException("boom");
    }

    [Theory]
    [InlineData("wrong_name")]
    [InlineData("wrong_const_value")]
    [InlineData("repeated_name")]
    public void A_series_whose_labels_differ_from_its_descriptor_is_reported_and_the_rest_gathered(string fault)
    {
        var desc = new Desc("jobs_total", "J.", ["queue", "shard"], new Dictionary<string, string> { ["service"] = "billing" });
        LabelPair[] pairs = fault switch
        {
            "wrong_name" => [new("service", "billing"), new("queue", "a"), new("region", "1")],
            "wrong_const_value" => [new("service", "payroll"), new("queue", "a"), new("shard", "1")],
            _ => [new("service", "billing"), new("queue", "a"), new("queue", "b")],
        };
        var good = new Counter(new CounterOptions { Name = "good_total", Help = "G." });
        var registry = new Registry();
        registry.MustRegister(good);
        registry.Register(new LambdaCollector(() => [new RawMetric(desc, new LabelSet(pairs))]));

        var ex = Assert.Throws<GatherException>(() => registry.Gather());
        Assert.Contains(ex.Errors, e => e.Contains("jobs_total") && e.Contains("inconsistent with its descriptor"));
        Assert.Equal("good_total", Assert.Single(ex.Families).Name);
    }

    [Fact]
    public void Series_whose_labels_match_their_descriptor_in_another_order_are_gathered()
    {
        var desc = new Desc("jobs_total", "J.", ["shard", "queue"], new Dictionary<string, string> { ["service"] = "billing" });
        var registry = new Registry();
        registry.Register(new LambdaCollector(() =>
            [new RawMetric(desc, new LabelSet([new("shard", "1"), new("service", "billing"), new("queue", "a")]))]));

        var series = Assert.Single(Assert.Single(registry.Gather()).Metrics);
        Assert.Equal("a", series.Labels.GetValue("queue"));
    }

    /// <summary>A metric that writes whatever label set it was given, as a hand-written IMetric might.</summary>
    private sealed class RawMetric(Desc desc, LabelSet labels) : IMetric
    {
        public Desc Desc => desc;

        public MetricType Type => MetricType.Counter;

        public void Write(MetricPoint point)
        {
            point.Labels = labels;
            point.Value = 1;
        }
    }

    private sealed class DuplicateSeriesCollector : ICollector
    {
        private readonly Desc _desc = new("dup_total", "Dup.", ["a"], null);

        public IEnumerable<Desc> Describe() => [_desc];

        public IEnumerable<IMetric> Collect() => [ConstMetric.Counter(_desc, 1, "x"), ConstMetric.Counter(_desc, 2, "x")];
    }

    private sealed class UndescribedMetricCollector : ICollector
    {
        public IEnumerable<Desc> Describe() => [new Desc("described_total", "D.", null, null)];

        public IEnumerable<IMetric> Collect() => [ConstMetric.Counter(new Desc("other_total", "O.", null, null), 1)];
    }

    internal sealed class LambdaCollector(Func<IEnumerable<IMetric>> collect) : ICollector
    {
        public IEnumerable<Desc> Describe() => [];

        public IEnumerable<IMetric> Collect() => collect();
    }
}
