using Instrumentation;

namespace QuickStart.Metrics;

/// <summary>Orders accepted by the checkout, by sales channel. With <c>Metrics:Namespace</c> "shop" it is exposed as <c>shop_orders_placed_total</c>.</summary>
public sealed class OrdersPlaced : ICounterDefinition
{
    public static string Name => "orders_placed_total";
    public static string Help => "Orders accepted by the checkout.";
    public static IReadOnlyList<string> LabelNames => ["channel"];
}

/// <summary>Order look-ups served by the minimal API.</summary>
public sealed class OrderLookups : ICounterDefinition
{
    public static string Name => "order_lookups_total";
    public static string Help => "Order look-ups served.";
}

/// <summary>Value of the orders placed, in euros.</summary>
public sealed class OrderValue : IHistogramDefinition
{
    public static string Name => "order_value_euros";
    public static string Help => "Value of the orders placed, in euros.";
    public static IReadOnlyList<double>? Buckets => [10, 25, 50, 100, 250, 500, 1000];
}
