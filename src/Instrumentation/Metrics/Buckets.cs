namespace Instrumentation;

/// <summary>Ready-made histogram bucket layouts.</summary>
public static class Buckets
{
    /// <summary>
    /// The reference client's default: .005 .01 .025 .05 .1 .25 .5 1 2.5 5 10 — meant for request latencies in seconds.
    /// Returns a new array each time, so callers may keep and change it.
    /// </summary>
    public static double[] Default => [.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10];

    /// <summary><paramref name="count"/> buckets, the first at <paramref name="start"/>, each <paramref name="width"/> above the last.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is below 1 or <paramref name="width"/> is not positive.</exception>
    public static double[] Linear(double start, double width, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (!(width > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(width), width, "Linear bucket width must be positive.");
        }
        var buckets = new double[count];
        for (var i = 0; i < count; i++)
        {
            buckets[i] = start + i * width;
        }
        return buckets;
    }

    /// <summary><paramref name="count"/> buckets, the first at <paramref name="start"/>, each <paramref name="factor"/> times the last.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is below 1, <paramref name="start"/> is not positive or <paramref name="factor"/> is not above 1.</exception>
    public static double[] Exponential(double start, double factor, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (!(start > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(start), start, "Exponential buckets need a positive start.");
        }
        if (!(factor > 1))
        {
            throw new ArgumentOutOfRangeException(nameof(factor), factor, "Exponential buckets need a factor above 1.");
        }
        var buckets = new double[count];
        var bound = start;
        for (var i = 0; i < count; i++)
        {
            buckets[i] = bound;
            bound *= factor;
        }
        return buckets;
    }

    /// <summary><paramref name="count"/> exponentially spaced buckets from <paramref name="min"/> to <paramref name="max"/> inclusive.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is below 2, <paramref name="min"/> is not positive or <paramref name="max"/> is not above it.</exception>
    public static double[] ExponentialRange(double min, double max, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 2);
        if (!(min > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(min), min, "Exponential buckets need a positive minimum.");
        }
        if (!(max > min))
        {
            throw new ArgumentOutOfRangeException(nameof(max), max, $"The maximum must be above the minimum {min}.");
        }
        // Interpolate in log space: max / min overflows for ranges wider than double's (1e-300 .. 1e300, say).
        var logMin = Math.Log(min);
        var step = (Math.Log(max) - logMin) / (count - 1);
        var buckets = new double[count];
        buckets[0] = min;
        for (var i = 1; i < count; i++)
        {
            buckets[i] = Math.Exp(logMin + i * step);
        }
        buckets[count - 1] = max;
        return buckets;
    }
}
