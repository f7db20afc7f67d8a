namespace Instrumentation.AspNetCore.Tests;

public sealed class MetricFactoryTests
{
    [Fact]
    public void Asking_again_with_the_same_shape_returns_the_same_instance()
    {
        var factory = new MetricFactory(new Registry());

        var first = factory.CreateCounterVec(new CounterOptions { Name = "jobs_total", Help = "Jobs." }, ["queue"]);
        var second = factory.CreateCounterVec(new CounterOptions { Name = "jobs_total", Help = "Jobs." }, ["queue"]);

        Assert.Same(first, second);
    }

    [Fact]
    public void Asking_again_with_another_shape_throws_describing_both()
    {
        var factory = new MetricFactory(new Registry());
        factory.CreateCounterVec(new CounterOptions { Name = "jobs_total", Help = "Jobs." }, ["queue"]);

        var labels = Assert.Throws<ArgumentException>(() => factory.CreateCounterVec(new CounterOptions { Name = "jobs_total", Help = "Jobs." }, ["queue", "kind"]));
        var kind = Assert.Throws<ArgumentException>(() => factory.CreateGauge(new GaugeOptions { Name = "jobs_total", Help = "Jobs." }));

        Assert.Contains("\"jobs_total\"", labels.Message);
        Assert.Contains("labels (queue)", labels.Message);
        Assert.Contains("labels (queue, kind)", labels.Message);
        Assert.Contains("a counter", kind.Message);
        Assert.Contains("a gauge", kind.Message);
    }

    [Fact]
    public void Histograms_with_other_buckets_are_another_shape()
    {
        var factory = new MetricFactory(new Registry());
        factory.CreateHistogram(new HistogramOptions { Name = "latency_seconds", Help = "Latency.", Buckets = [0.1, 1] });

        var ex = Assert.Throws<ArgumentException>(() => factory.CreateHistogram(new HistogramOptions { Name = "latency_seconds", Help = "Latency.", Buckets = [0.5, 1] }));

        Assert.Contains("buckets [0.1, 1]", ex.Message);
        Assert.Contains("buckets [0.5, 1]", ex.Message);
    }

    [Fact]
    public void Created_metrics_are_registered_under_the_namespace_and_the_callers_options_are_untouched()
    {
        var registry = new Registry();
        var factory = new MetricFactory(registry, "shop");
        var options = new GaugeOptions { Name = "queue_length", Help = "Queue." };

        factory.CreateGauge(options).Set(3);

        Assert.Null(options.Namespace);
        var family = Assert.Single(registry.Gather());
        Assert.Equal("shop_queue_length", family.Name);
    }

    [Fact]
    public void An_invalid_metric_is_not_kept_so_a_corrected_request_succeeds()
    {
        var factory = new MetricFactory(new Registry());

        Assert.ThrowsAny<ArgumentException>(() => factory.CreateCounter(new CounterOptions { Name = "bad-name", Help = "x" }));
        factory.CreateCounter(new CounterOptions { Name = "good_total", Help = "x" }).Inc();
    }
}
