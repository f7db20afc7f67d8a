namespace Instrumentation.Benchmarks;

/// <summary>Inputs shared by the benchmarks.</summary>
public static class Workload
{
    /// <summary>Operations per benchmark invocation in the single-threaded hot-path loops.</summary>
    public const int Ops = 1024;

    /// <summary>
    /// <see cref="Ops"/> observation values spread log-uniformly over 1 ms..20 s, so they land in every default bucket
    /// and the bucket search cannot be branch-predicted from the previous value.
    /// </summary>
    public static double[] Observations()
    {
        var random = new Random(42);
        var values = new double[Ops];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = Math.Exp(Math.Log(0.001) + random.NextDouble() * (Math.Log(20) - Math.Log(0.001)));
        }
        return values;
    }

    /// <summary>128 bucket bounds over the same range as <see cref="Observations"/>.</summary>
    public static double[] Buckets128() => Buckets.ExponentialRange(0.001, 20, 128);

    /// <summary>The usual latency objectives: median ±5%, 90th ±1%, 99th ±0.1%.</summary>
    public static IReadOnlyDictionary<double, double> Objectives { get; } = new Dictionary<double, double> { [0.5] = 0.05, [0.9] = 0.01, [0.99] = 0.001 };
}
