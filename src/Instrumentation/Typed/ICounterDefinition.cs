namespace Instrumentation;

/// <summary>
/// Declares a counter to be injected as <see cref="ICounter{TDefinition}"/>:
/// <code>
/// public sealed class OrdersPlaced : ICounterDefinition
/// {
///     public static string Name => "shop_orders_placed_total";
///     public static string Help => "Orders accepted by the checkout.";
///     public static IReadOnlyList&lt;string&gt; LabelNames => ["channel"];
/// }
/// </code>
/// </summary>
public interface ICounterDefinition : IMetricDefinition
{
}
