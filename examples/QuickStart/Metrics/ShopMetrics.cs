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

/// <summary>
/// Visits by user: a per-user label, capped at 1,000 series. Further users share the <c>__overflow__</c> series instead
/// of growing the process without bound.
/// </summary>
public sealed class UserVisits : ICounterDefinition
{
    public static string Name => "user_visits_total";
    public static string Help => "Visits, by user (at most 1,000 users; the rest share the __overflow__ series).";
    public static IReadOnlyList<string> LabelNames => ["user"];
    public static int? MaxSeries => 1000;
}
