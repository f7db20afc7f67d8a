namespace Instrumentation.Tests.Core;

/// <summary>The in-flight gauge behind <c>http_requests_in_progress</c>: striped started/finished counts exposed as a gauge.</summary>
public class InFlightGaugeTests
{
    private static InFlightGaugeVec NewVec() =>
        new(new GaugeOptions { Name = "requests_in_progress", Help = "In flight." }, ["route"]);

    [Fact]
    public void Inc_and_Dec_move_the_value_and_it_is_exposed_as_a_gauge()
    {
        var vec = NewVec();
        var registry = new Registry();
        registry.MustRegister(vec);
        var child = vec.WithLabels("/orders");
        child.Inc();
        child.Inc();
        child.Dec();

        var family = Assert.Single(registry.Gather());
        Assert.Equal(MetricType.Gauge, family.Type);
        Assert.Equal(1, Assert.Single(family.Metrics).Value);
        Assert.Same(child, vec.WithLabels("/orders"));
    }

    [Fact]
    public async Task Many_threads_starting_and_finishing_leave_zero_and_a_concurrent_reader_never_sees_a_negative_value()
    {
        var child = NewVec().WithLabels("/busy");
        using var stop = new CancellationTokenSource();
        var lowest = 0.0;
        var reader = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                lowest = Math.Min(lowest, child.Value);
            }
        });

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 200_000; i++)
            {
                child.Inc();
                child.Dec();
            }
        })));
        stop.Cancel();
        await reader;

        Assert.Equal(0, child.Value);
        Assert.Equal(0, lowest);
    }
}
