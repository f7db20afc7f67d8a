namespace Instrumentation.Tests.Core;

public class RegistryTests
{
    private static Counter NewCounter(string name = "x_total", string help = "X.", Dictionary<string, string>? constLabels = null) =>
        new(new CounterOptions { Name = name, Help = help, ConstLabels = constLabels });

    [Fact]
    public void Registered_counter_is_gathered()
    {
        var registry = new Registry();
        var counter = NewCounter();
        registry.Register(counter);
        counter.Add(3);

        var family = Assert.Single(registry.Gather());
        Assert.Equal("x_total", family.Name);
        Assert.Equal(MetricType.Counter, family.Type);
        Assert.Equal(3, Assert.Single(family.Metrics).Value);
    }

    [Fact]
    public void Registering_the_same_collector_twice_throws_AlreadyRegistered_with_the_existing_one()
    {
        var registry = new Registry();
        var counter = NewCounter();
        registry.Register(counter);
        var ex = Assert.Throws<AlreadyRegisteredException>(() => registry.Register(counter));
        Assert.Same(counter, ex.ExistingCollector);
    }

    [Fact]
    public void Registering_an_equal_collector_returns_the_existing_one()
    {
        var registry = new Registry();
        var first = NewCounter();
        registry.Register(first);
        var ex = Assert.Throws<AlreadyRegisteredException>(() => registry.Register(NewCounter()));
        Assert.Same(first, ex.ExistingCollector);
        Assert.Contains("x_total", ex.Message);
    }

    [Fact]
    public void Same_name_with_different_help_throws_naming_both()
    {
        var registry = new Registry();
        registry.Register(NewCounter(help: "First help."));
        var ex = Assert.Throws<InvalidMetricDescriptorException>(() =>
            registry.Register(NewCounter(help: "Second help.", constLabels: new() { ["a"] = "b" })));
        Assert.Contains("First help.", ex.Message);
        Assert.Contains("Second help.", ex.Message);
        Assert.Contains("x_total", ex.Message);
    }

    [Fact]
    public void Same_name_with_different_label_names_throws()
    {
        var registry = new Registry();
        registry.Register(new CounterVec(new CounterOptions { Name = "x_total", Help = "X." }, ["a"]));
        Assert.Throws<InvalidMetricDescriptorException>(() =>
            registry.Register(new CounterVec(new CounterOptions { Name = "x_total", Help = "X." }, ["b"])));
    }

    [Fact]
    public void Same_name_and_const_label_values_from_two_collectors_throws()
    {
        var registry = new Registry();
        registry.Register(NewCounter(constLabels: new() { ["instance"] = "a" }));
        var other = new MultiCollector(
            new Desc("x_total", "X.", null, new Dictionary<string, string> { ["instance"] = "a" }),
            new Desc("y_total", "Y.", null, null));
        var ex = Assert.Throws<InvalidMetricDescriptorException>(() => registry.Register(other));
        Assert.Contains("same const label values", ex.Message);
    }

    [Fact]
    public void Same_name_with_different_const_label_values_is_allowed()
    {
        var registry = new Registry();
        var a = NewCounter(constLabels: new() { ["instance"] = "a" });
        var b = NewCounter(constLabels: new() { ["instance"] = "b" });
        registry.MustRegister(a, b);
        a.Inc();
        b.Add(2);
        var family = Assert.Single(registry.Gather());
        Assert.Equal([1.0, 2.0], family.Metrics.Select(m => m.Value));
    }

    [Fact]
    public void Invalid_desc_fails_registration_with_the_rule()
    {
        var registry = new Registry();
        var ex = Assert.Throws<InvalidMetricDescriptorException>(() => registry.Register(NewCounter(name: "bad-name")));
        Assert.Contains("bad-name", ex.Message);
        Assert.Contains("^[a-zA-Z_:][a-zA-Z0-9_:]*$", ex.Message);
    }

    [Fact]
    public void Failed_registration_registers_nothing()
    {
        var registry = new Registry();
        var good = new Desc("good_total", "G.", null, null);
        var bad = new Desc("bad name", "B.", null, null);
        Assert.ThrowsAny<ArgumentException>(() => registry.Register(new MultiCollector(good, bad)));
        registry.Register(NewCounter(name: "good_total", help: "G."));
    }

    [Fact]
    public void Unregister_returns_whether_something_was_removed()
    {
        var registry = new Registry();
        var counter = NewCounter();
        Assert.False(registry.Unregister(counter));
        registry.Register(counter);
        Assert.True(registry.Unregister(counter));
        Assert.Empty(registry.Gather());
        Assert.False(registry.Unregister(counter));
        registry.Register(NewCounter(help: "Different help is fine after unregistering."));
    }

    [Fact]
    public void Unchecked_collector_registers_and_unregisters()
    {
        var registry = new Registry();
        var collector = new UncheckedCollector();
        registry.Register(collector);
        Assert.Equal("dyn_total", Assert.Single(registry.Gather()).Name);
        Assert.Throws<AlreadyRegisteredException>(() => registry.Register(collector));
        Assert.True(registry.Unregister(collector));
        Assert.Empty(registry.Gather());
    }

    [Fact]
    public void Registry_const_labels_are_added_to_every_series()
    {
        var registry = new Registry(new RegistryOptions { ConstLabels = new Dictionary<string, string> { ["env"] = "prod" } });
        var vec = new CounterVec(new CounterOptions { Name = "x_total", Help = "X." }, ["code"]);
        registry.Register(vec);
        vec.WithLabels("200").Inc();
        var point = Assert.Single(Assert.Single(registry.Gather()).Metrics);
        Assert.Equal("prod", point.Labels.GetValue("env"));
        Assert.Equal("200", point.Labels.GetValue("code"));
        Assert.Equal(["code", "env"], point.Labels.Select(l => l.Name));
        Assert.True(registry.Unregister(vec));
    }

    [Fact]
    public void Registry_const_label_clashing_with_a_metric_label_fails_registration()
    {
        var registry = new Registry(new RegistryOptions { ConstLabels = new Dictionary<string, string> { ["code"] = "x" } });
        var ex = Assert.Throws<InvalidMetricDescriptorException>(() =>
            registry.Register(new CounterVec(new CounterOptions { Name = "x_total", Help = "X." }, ["code"])));
        Assert.Contains("code", ex.Message);
    }

    [Fact]
    public void Utf8_names_register_only_on_a_utf8_registry()
    {
        var options = new CounterOptions { Name = "my.metric_total", Help = "X." };
        Assert.Throws<InvalidMetricDescriptorException>(() => new Registry().Register(new Counter(options)));
        var registry = new Registry(new RegistryOptions { NameValidation = NameValidationScheme.Utf8 });
        registry.Register(new Counter(options));
        Assert.Equal("my.metric_total", Assert.Single(registry.Gather()).Name);
    }

    internal sealed class MultiCollector(params Desc[] descs) : ICollector
    {
        public IEnumerable<Desc> Describe() => descs;

        public IEnumerable<IMetric> Collect() => descs.Select(d => ConstMetric.Counter(d, 1));
    }

    internal sealed class UncheckedCollector : ICollector
    {
        public IEnumerable<Desc> Describe() => [];

        public IEnumerable<IMetric> Collect() => [ConstMetric.Counter(new Desc("dyn_total", "Dynamic.", null, null), 5)];
    }
}
