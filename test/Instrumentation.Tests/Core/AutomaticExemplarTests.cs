using System.Diagnostics;
using System.Text;
using Instrumentation.Exposition;

namespace Instrumentation.Tests.Core;

/// <summary>Counters and histograms attach the current sampled trace as an exemplar by themselves.</summary>
public sealed class AutomaticExemplarTests
{
    private static Activity StartActivity(bool recorded)
    {
        var activity = new Activity("exemplar-test");
        activity.SetIdFormat(ActivityIdFormat.W3C);
        activity.ActivityTraceFlags = recorded ? ActivityTraceFlags.Recorded : ActivityTraceFlags.None;
        return activity.Start();
    }

    private static MetricPoint Point(ICollector collector)
    {
        var registry = new Registry();
        registry.MustRegister(collector);
        return Assert.Single(Assert.Single(registry.Gather()).Metrics);
    }

    private static void AssertTrace(Exemplar? exemplar, Activity activity, double value)
    {
        Assert.NotNull(exemplar);
        Assert.Equal(activity.TraceId.ToHexString(), exemplar.Labels.GetValue("trace_id"));
        Assert.Equal(activity.SpanId.ToHexString(), exemplar.Labels.GetValue("span_id"));
        Assert.Equal(value, exemplar.Value);
        Assert.NotNull(exemplar.TimestampSeconds);
    }

    [Fact]
    public void Counter_inc_inside_a_sampled_trace_keeps_its_trace_and_span_ids()
    {
        var counter = new Counter(new CounterOptions { Name = "orders_total", Help = "Orders." });
        using (var activity = StartActivity(recorded: true))
        {
            counter.Inc();
            AssertTrace(Point(counter).Exemplar, activity, 1);
        }
    }

    [Fact]
    public void No_exemplar_without_an_activity_or_with_an_unsampled_one()
    {
        var counter = new Counter(new CounterOptions { Name = "orders_total", Help = "Orders." });
        counter.Inc();
        using (StartActivity(recorded: false))
        {
            counter.Add(2);
        }

        Assert.Null(Point(counter).Exemplar);
        Assert.Equal(3, counter.Value);
    }

    [Fact]
    public void A_newer_trace_replaces_the_exemplar_only_after_the_interval()
    {
        var hourly = new Counter(new CounterOptions { Name = "a_total", Help = "A.", Exemplars = ExemplarProvider.ForSampledTraces(TimeSpan.FromHours(1)) });
        var always = new Counter(new CounterOptions { Name = "b_total", Help = "B.", Exemplars = ExemplarProvider.ForSampledTraces(TimeSpan.Zero) });
        using var first = StartActivity(recorded: true);
        hourly.Inc();
        always.Inc();
        first.Stop();
        using var second = StartActivity(recorded: true);
        hourly.Add(5);
        always.Add(5);

        AssertTrace(Point(hourly).Exemplar, first, 1);
        AssertTrace(Point(always).Exemplar, second, 5);
    }

    [Fact]
    public void Histogram_observation_keeps_the_exemplar_in_the_bucket_it_falls_into()
    {
        var histogram = new Histogram(new HistogramOptions { Name = "latency_seconds", Help = "Latency.", Buckets = [0.1, 1, 10] });
        histogram.Observe(0.05); // outside a trace: no exemplar in the first bucket
        using var activity = StartActivity(recorded: true);
        histogram.Observe(0.5);

        var buckets = Point(histogram).Buckets;
        Assert.Null(buckets[0].Exemplar);
        AssertTrace(buckets[1].Exemplar, activity, 0.5);
        Assert.Null(buckets[2].Exemplar);
        Assert.Null(buckets[3].Exemplar);
    }

    [Fact]
    public void A_registry_default_of_none_turns_them_off_unless_a_metric_names_its_own()
    {
        var registry = new Registry(new RegistryOptions { Exemplars = ExemplarProvider.None });
        var quiet = new CounterVec(new CounterOptions { Name = "quiet_total", Help = "Q." }, ["code"]);
        var traced = new Counter(new CounterOptions { Name = "traced_total", Help = "T.", Exemplars = ExemplarProvider.SampledTraces });
        var histograms = new HistogramVec(new HistogramOptions { Name = "h_seconds", Help = "H.", Buckets = [1] }, ["code"]);
        quiet.WithLabels("200").Inc(); // a child made before registration takes the default too
        registry.MustRegister(quiet, traced, histograms);

        using var activity = StartActivity(recorded: true);
        quiet.WithLabels("200").Inc();
        quiet.WithLabels("500").Inc();
        traced.Inc();
        histograms.WithLabels("200").Observe(0.5);

        var families = registry.Gather().ToDictionary(f => f.Name);
        Assert.All(families["quiet_total"].Metrics, p => Assert.Null(p.Exemplar));
        Assert.All(families["h_seconds"].Metrics.SelectMany(p => p.Buckets), b => Assert.Null(b.Exemplar));
        AssertTrace(Assert.Single(families["traced_total"].Metrics).Exemplar, activity, 1);
    }

    [Fact]
    public void Registry_default_reaches_metrics_registered_under_const_labels()
    {
        var registry = new Registry(new RegistryOptions { Exemplars = ExemplarProvider.None, ConstLabels = new Dictionary<string, string> { ["app"] = "x" } });
        var counter = new Counter(new CounterOptions { Name = "c_total", Help = "C." });
        registry.MustRegister(counter);

        using (StartActivity(recorded: true))
        {
            counter.Inc();
        }

        Assert.Null(Assert.Single(Assert.Single(registry.Gather()).Metrics).Exemplar);
    }

    [Fact]
    public void A_custom_provider_gives_the_labels_and_bad_labels_are_dropped_without_failing_the_update()
    {
        var custom = new Counter(new CounterOptions
        {
            Name = "c_total", Help = "C.", Exemplars = ExemplarProvider.Create(() => [new LabelPair("tenant", "acme")], TimeSpan.Zero),
        });
        var bad = new Counter(new CounterOptions
        {
            Name = "d_total", Help = "D.", Exemplars = ExemplarProvider.Create(() => [new LabelPair("__reserved", "x")], TimeSpan.Zero),
        });

        custom.Inc();
        bad.Inc();

        Assert.Equal("acme", Point(custom).Exemplar!.Labels.GetValue("tenant"));
        Assert.Null(Point(bad).Exemplar);
        Assert.Equal(1, bad.Value);
    }

    [Fact]
    public void An_explicit_exemplar_is_not_replaced_by_an_automatic_one_within_the_interval()
    {
        var counter = new Counter(new CounterOptions { Name = "c_total", Help = "C." });
        counter.AddWithExemplar(1, [new LabelPair("trace_id", "explicit")]);
        using (StartActivity(recorded: true))
        {
            counter.Inc();
        }

        Assert.Equal("explicit", Point(counter).Exemplar!.Labels.GetValue("trace_id"));
        Assert.Equal(2, counter.Value);
    }

    [Fact]
    public void Exemplar_overloads_are_on_the_interfaces_users_are_given()
    {
        var counterVec = new CounterVec(new CounterOptions { Name = "c_total", Help = "C." }, ["code"]);
        var histogram = new Histogram(new HistogramOptions { Name = "h_seconds", Help = "H.", Buckets = [1] });
        ICounter counter = counterVec.WithLabels("200");
        IExemplarObserver observer = histogram;

        counter.AddWithExemplar(2, [new LabelPair("trace_id", "abc")]);
        observer.ObserveWithExemplar(0.5, [new LabelPair("trace_id", "def")]);

        Assert.Equal("abc", Point(counterVec).Exemplar!.Labels.GetValue("trace_id"));
        Assert.Equal("def", Point(histogram).Buckets[0].Exemplar!.Labels.GetValue("trace_id"));
    }

    [Fact]
    public void Automatic_exemplars_are_written_in_openmetrics()
    {
        var counter = new Counter(new CounterOptions { Name = "orders_total", Help = "Orders." });
        var registry = new Registry();
        registry.MustRegister(counter);
        using var activity = StartActivity(recorded: true);
        counter.Inc();

        using var stream = new MemoryStream();
        OpenMetricsFormat.Write(stream, registry.Gather());
        var text = Encoding.UTF8.GetString(stream.ToArray());

        Assert.Contains($"orders_total 1.0 # {{span_id=\"{activity.SpanId.ToHexString()}\",trace_id=\"{activity.TraceId.ToHexString()}\"}} 1.0 ", text);
    }

    [Fact]
    public void Updates_without_an_activity_allocate_nothing()
    {
        var counter = new Counter(new CounterOptions { Name = "c_total", Help = "C." });
        var histogram = new Histogram(new HistogramOptions { Name = "h_seconds", Help = "H.", Buckets = [1] });
        counter.Inc();
        histogram.Observe(0.5);
        Assert.Null(Activity.Current);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            counter.Inc();
            counter.Add(2);
            histogram.Observe(0.5);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
