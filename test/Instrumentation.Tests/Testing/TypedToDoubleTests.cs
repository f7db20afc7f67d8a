using Instrumentation.Testing;

namespace Instrumentation.Tests.Testing;

/// <summary><c>MetricsTestUtil.ToDouble</c> on the injected typed metrics (<c>ICounter&lt;T&gt;</c>, <c>IGauge&lt;T&gt;</c>) and their children.</summary>
public class TypedToDoubleTests
{
    private sealed class Orders : ICounterDefinition
    {
        public static string Name => "orders_total";
        public static string Help => "Orders.";
    }

    private sealed class OrdersByChannel : ICounterDefinition
    {
        public static string Name => "orders_by_channel_total";
        public static string Help => "Orders, by channel.";
        public static IReadOnlyList<string> LabelNames => ["channel"];
    }

    private sealed class Backlog : IGaugeDefinition
    {
        public static string Name => "backlog_items";
        public static string Help => "Items waiting.";
    }

    private sealed class BacklogByQueue : IGaugeDefinition
    {
        public static string Name => "backlog_by_queue_items";
        public static string Help => "Items waiting, by queue.";
        public static IReadOnlyList<string> LabelNames => ["queue"];
    }

    private static MetricFactory Factory() => new(new Registry());

    [Fact]
    public void ToDouble_reads_a_typed_counter_and_a_typed_gauge()
    {
        var factory = Factory();
        ICounter<Orders> orders = new TypedCounter<Orders>(factory);
        IGauge<Backlog> backlog = new TypedGauge<Backlog>(factory);
        orders.Add(4);
        backlog.Set(7);

        Assert.Equal(4, MetricsTestUtil.ToDouble(orders));
        Assert.Equal(7, MetricsTestUtil.ToDouble(backlog));
    }

    [Fact]
    public void ToDouble_reads_the_children_of_labelled_typed_metrics()
    {
        var factory = Factory();
        ICounter<OrdersByChannel> orders = new TypedCounter<OrdersByChannel>(factory);
        IGauge<BacklogByQueue> backlog = new TypedGauge<BacklogByQueue>(factory);
        orders.WithLabels("web").Add(2);
        orders.WithLabels("shop").Inc();
        backlog.WithLabels("mail").Set(5);

        Assert.Equal(2, MetricsTestUtil.ToDouble(orders.WithLabels("web")));
        Assert.Equal(1, MetricsTestUtil.ToDouble(orders.WithLabels("shop")));
        Assert.Equal(5, MetricsTestUtil.ToDouble(backlog.WithLabels("mail")));
        // A labelled typed metric with exactly one series reads as its family does.
        Assert.Equal(5, MetricsTestUtil.ToDouble(backlog));
    }

    [Fact]
    public void ToDouble_of_a_labelled_typed_counter_with_two_series_throws_naming_both()
    {
        ICounter<OrdersByChannel> orders = new TypedCounter<OrdersByChannel>(Factory());
        orders.WithLabels("web").Inc();
        orders.WithLabels("shop").Inc();

        var ex = Assert.Throws<InvalidOperationException>(() => MetricsTestUtil.ToDouble(orders));

        Assert.Contains("collected 2", ex.Message);
        Assert.Contains("channel=\"web\"", ex.Message);
        Assert.Contains("channel=\"shop\"", ex.Message);
    }

    [Fact]
    public void ToDouble_reads_a_user_implementation_through_its_value()
    {
        Assert.Equal(42, MetricsTestUtil.ToDouble(new FixedCounter()));
    }

    private sealed class FixedCounter : ICounter
    {
        public double Value => 42;

        public void Inc()
        {
        }

        public void Add(double value)
        {
        }

        public void AddWithExemplar(double value, IReadOnlyList<LabelPair> exemplarLabels)
        {
        }
    }
}
