namespace Instrumentation.Tests.Core;

public class CounterGaugeTests
{
    private static Counter NewCounter() => new(new CounterOptions { Name = "x_total", Help = "X." });

    private static MetricPoint Write(IMetric metric)
    {
        var point = new MetricPoint();
        metric.Write(point);
        return point;
    }

    [Fact]
    public void Inc_and_Add_accumulate_whole_and_fractional_values()
    {
        var counter = NewCounter();
        counter.Inc();
        counter.Add(2);
        counter.Add(0.5);
        counter.Add(0);
        Assert.Equal(3.5, counter.Value);
        Assert.Equal(3.5, Write(counter).Value);
    }

    [Theory]
    [InlineData(-1.0)]
    [InlineData(-0.001)]
    [InlineData(double.NaN)]
    [InlineData(double.NegativeInfinity)]
    public void Add_negative_or_nan_throws_and_keeps_value(double value)
    {
        var counter = NewCounter();
        counter.Add(5);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => counter.Add(value));
        Assert.Contains("x_total", ex.Message);
        Assert.Contains(value.ToString(System.Globalization.CultureInfo.CurrentCulture), ex.Message);
        Assert.Equal(5, counter.Value);
    }

    [Fact]
    public void Counter_handles_huge_integral_values_exactly()
    {
        var counter = NewCounter();
        counter.Add(1e19);
        counter.Inc();
        Assert.Equal(1e19 + 1, counter.Value);
        counter.Add(double.PositiveInfinity);
        Assert.Equal(double.PositiveInfinity, counter.Value);
    }

    [Fact]
    public void Counter_writes_created_timestamp_and_exemplar()
    {
        var before = (DateTime.UtcNow - DateTime.UnixEpoch).TotalSeconds - 1;
        var counter = NewCounter();
        counter.AddWithExemplar(2, [new LabelPair("trace_id", "abc")]);
        var point = Write(counter);
        Assert.Equal(2, point.Value);
        Assert.InRange(point.CreatedSeconds!.Value, before, before + 60);
        Assert.NotNull(point.Exemplar);
        Assert.Equal("abc", point.Exemplar!.Labels.GetValue("trace_id"));
        Assert.Equal(2, point.Exemplar.Value);
    }

    [Fact]
    public void Exemplar_longer_than_128_runes_is_rejected_when_recorded_and_nothing_changes()
    {
        var counter = NewCounter();
        var ex = Assert.Throws<ArgumentException>(() => counter.AddWithExemplar(1, [new LabelPair("trace_id", new string('x', 130))]));
        Assert.Contains("128", ex.Message);
        Assert.Equal(0, counter.Value);
        Assert.Null(Write(counter).Exemplar);
    }

    [Fact]
    public void Exemplar_of_exactly_128_runes_is_accepted()
    {
        var exemplar = new Exemplar([new LabelPair("id", new string('é', 126))], 1);
        Assert.Equal(1, exemplar.Value);
    }

    [Fact]
    public void Gauge_operations()
    {
        var gauge = new Gauge(new GaugeOptions { Name = "g", Help = "G." });
        gauge.Set(10);
        gauge.Inc();
        gauge.Dec();
        gauge.Dec();
        gauge.Add(2.5);
        gauge.Sub(0.5);
        Assert.Equal(11, gauge.Value);
        gauge.Set(double.NaN);
        Assert.True(double.IsNaN(Write(gauge).Value));
        gauge.SetToCurrentTime();
        Assert.InRange(gauge.Value, (DateTime.UtcNow - DateTime.UnixEpoch).TotalSeconds - 60, (DateTime.UtcNow - DateTime.UnixEpoch).TotalSeconds + 1);
    }

    [Fact]
    public void Const_labels_are_written_with_every_series()
    {
        var gauge = new Gauge(new GaugeOptions { Name = "g", Help = "G.", ConstLabels = new Dictionary<string, string> { ["b"] = "2", ["a"] = "1" } });
        Assert.Equal(["a", "b"], Write(gauge).Labels.Select(l => l.Name));
    }

    [Fact]
    public void Funcs_read_their_value_at_write_time()
    {
        var value = 1.0;
        var gauge = new GaugeFunc(new GaugeOptions { Name = "g", Help = "G." }, () => value);
        var counter = new CounterFunc(new CounterOptions { Name = "c_total", Help = "C." }, () => value * 10);
        value = 4;
        Assert.Equal(4, Write(gauge).Value);
        Assert.Equal(40, Write(counter).Value);
        Assert.Equal(MetricType.Counter, counter.Type);
    }

    [Fact]
    public void Options_namespace_and_subsystem_build_the_name()
    {
        var counter = new Counter(new CounterOptions { Namespace = "shop", Subsystem = "orders", Name = "placed_total", Help = "P." });
        Assert.Equal("shop_orders_placed_total", counter.Desc.FqName);
    }
}
