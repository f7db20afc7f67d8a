using Instrumentation.Collectors;

namespace Instrumentation.Tests.Collectors;

internal static class CollectorTestHelpers
{
    /// <summary>Registers the collectors in a fresh registry and gathers once (throws GatherException on any problem).</summary>
    public static IReadOnlyList<MetricFamily> Gather(params ICollector[] collectors)
    {
        var registry = new Registry();
        foreach (var collector in collectors)
        {
            registry.Register(collector);
        }
        return registry.Gather();
    }

    public static MetricFamily Family(this IReadOnlyList<MetricFamily> families, string name) =>
        families.FirstOrDefault(f => f.Name == name)
        ?? throw new Xunit.Sdk.XunitException($"No family \"{name}\" among: {string.Join(", ", families.Select(f => f.Name))}");

    public static MetricFamily? FindFamily(this IReadOnlyList<MetricFamily> families, string name) =>
        families.FirstOrDefault(f => f.Name == name);

    public static double Value(this IReadOnlyList<MetricFamily> families, string name) => Single(families.Family(name)).Value;

    public static MetricPoint Single(MetricFamily family)
    {
        Assert.Single(family.Metrics);
        return family.Metrics[0];
    }

    /// <summary>The series whose labels are exactly <paramref name="labels"/> ("name=value" pairs).</summary>
    public static MetricPoint Series(this MetricFamily family, params string[] labels)
    {
        var wanted = labels.Select(l => l.Split('=', 2)).Select(p => new LabelPair(p[0], p[1])).OrderBy(p => p.Name, StringComparer.Ordinal).ToArray();
        return family.Metrics.FirstOrDefault(m => m.Labels.SequenceEqual(wanted))
            ?? throw new Xunit.Sdk.XunitException($"No series {{{string.Join(",", labels)}}} in {family.Name}: {string.Join(" ", family.Metrics.Select(m => m.Labels.ToString()))}");
    }
}
