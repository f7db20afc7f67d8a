namespace Instrumentation.Tests.Parity;

/// <summary>Registration rules held against client_golang's registry.go, desc.go and wrap.go.</summary>
public class RegistrationParityTests
{
    private static ICollector ConstGauge(Desc desc, double value) => new FixedCollector([desc], () => [ConstMetric.Gauge(desc, value)]);

    [Fact]
    public void Desc_ids_do_not_collide_when_a_const_label_value_contains_U_00FF()
    {
        var first = new Desc("x", "X.", null, new Dictionary<string, string> { ["a"] = "x\u00ff", ["b"] = "y" });
        var second = new Desc("x", "X.", null, new Dictionary<string, string> { ["a"] = "x", ["b"] = "\u00ffy" });
        Assert.NotEqual(first.Id, second.Id);
        Assert.False(first.Equals(second));

        var registry = new Registry();
        var firstCollector = ConstGauge(first, 1);
        var secondCollector = ConstGauge(second, 2);
        registry.Register(firstCollector);
        registry.Register(secondCollector);
        Assert.Equal(2, registry.Gather().Single().Metrics.Count);

        Assert.True(registry.Unregister(secondCollector));
        var left = Assert.Single(registry.Gather().Single().Metrics);
        Assert.Equal("x\u00ff", left.Labels.GetValue("a"));
    }

    [Fact]
    public void Desc_dim_hashes_do_not_collide_when_the_help_contains_U_00FF()
    {
        // Joined with U+00FF, help "h" + label "a" and help "h\u00ffa" with no label hashed the same characters.
        var labelled = new Desc("x", "h", null, new Dictionary<string, string> { ["a"] = "1" });
        var unlabelled = new Desc("x", "h\u00ffa", null, null);
        Assert.NotEqual(labelled.DimHash, unlabelled.DimHash);

        var registry = new Registry();
        registry.Register(ConstGauge(labelled, 1));
        var ex = Assert.Throws<InvalidMetricDescriptorException>(() => registry.Register(ConstGauge(unlabelled, 2)));
        Assert.Contains("\"x\"", ex.Message);
    }

    [Fact]
    public void Desc_ids_do_not_collide_across_the_name_and_a_value()
    {
        var first = new Desc("x", "X.", null, new Dictionary<string, string> { ["a"] = "" });
        var second = new Desc("x", "X.", null, new Dictionary<string, string> { ["b"] = "" });
        // Same name and const label values, different label names: one series space as in Go (then refused as inconsistent).
        Assert.Equal(first.Id, second.Id);
        Assert.NotEqual(first.DimHash, second.DimHash);
        var none = new Desc("x", "X.", null, null);
        Assert.NotEqual(first.Id, none.Id);
    }

    [Fact]
    public void Nested_wrapping_carries_the_inner_wrappers_label_conflict_outward_so_Register_refuses()
    {
        var registry = new Registry();
        var gauge = new Gauge(new GaugeOptions { Name = "g", Help = "G.", ConstLabels = new Dictionary<string, string> { ["a"] = "x" } });
        var wrapped = registry.WrapWithPrefix("p_").WrapWithLabels(new Dictionary<string, string> { ["a"] = "y" });

        var ex = Assert.Throws<InvalidMetricDescriptorException>(() => wrapped.Register(gauge));
        Assert.Contains("\"a\"", ex.Message);
        Assert.Empty(registry.Gather());
    }

    [Fact]
    public void Nested_wrapping_in_the_other_order_refuses_too_and_a_clean_nesting_registers()
    {
        var registry = new Registry();
        var conflicting = new Gauge(new GaugeOptions { Name = "g", Help = "G.", ConstLabels = new Dictionary<string, string> { ["a"] = "x" } });
        Assert.Throws<InvalidMetricDescriptorException>(() =>
            registry.WrapWithLabels(new Dictionary<string, string> { ["a"] = "y" }).WrapWithPrefix("p_").Register(conflicting));

        var clean = new Gauge(new GaugeOptions { Name = "g", Help = "G.", ConstLabels = new Dictionary<string, string> { ["b"] = "x" } });
        registry.WrapWithPrefix("p_").WrapWithLabels(new Dictionary<string, string> { ["a"] = "y" }).Register(clean);
        var family = Assert.Single(registry.Gather());
        Assert.Equal("p_g", family.Name);
        Assert.Equal("{a=\"y\",b=\"x\"}", family.Metrics.Single().Labels.ToString());
    }

    [Fact]
    public void Label_name_order_does_not_matter_at_registration_and_both_vecs_gather_into_one_family()
    {
        var registry = new Registry();
        var ab = new CounterVec(new CounterOptions { Name = "req_total", Help = "Requests.", ConstLabels = new Dictionary<string, string> { ["shard"] = "1" } }, ["a", "b"]);
        var ba = new CounterVec(new CounterOptions { Name = "req_total", Help = "Requests.", ConstLabels = new Dictionary<string, string> { ["shard"] = "2" } }, ["b", "a"]);
        Assert.Equal(ab.Desc.DimHash, ba.Desc.DimHash);
        registry.Register(ab);
        registry.Register(ba);
        ab.WithLabels("a1", "b1").Inc();
        ba.WithLabels("b2", "a2").Add(2);

        var family = Assert.Single(registry.Gather());
        Assert.Equal(
            ["{a=\"a1\",b=\"b1\",shard=\"1\"}", "{a=\"a2\",b=\"b2\",shard=\"2\"}"],
            family.Metrics.Select(m => m.Labels.ToString()));
        Assert.Equal([1.0, 2.0], family.Metrics.Select(m => m.Value));
    }

    [Fact]
    public void Label_names_that_differ_still_make_an_inconsistent_registration()
    {
        var registry = new Registry();
        registry.Register(new CounterVec(new CounterOptions { Name = "req_total", Help = "R.", ConstLabels = new Dictionary<string, string> { ["shard"] = "1" } }, ["a", "b"]));
        Assert.Throws<InvalidMetricDescriptorException>(() =>
            registry.Register(new CounterVec(new CounterOptions { Name = "req_total", Help = "R.", ConstLabels = new Dictionary<string, string> { ["shard"] = "2" } }, ["a", "c"])));
        // A const label and a variable label of the same name are different dimensions.
        Assert.Throws<InvalidMetricDescriptorException>(() =>
            registry.Register(new CounterVec(new CounterOptions { Name = "req_total", Help = "R.", ConstLabels = new Dictionary<string, string> { ["a"] = "2" } }, ["shard", "b"])));
    }
}
