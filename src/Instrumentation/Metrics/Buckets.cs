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
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is below 1, <paramref name="start"/> is not finite or <paramref name="width"/> is not positive and finite.</exception>
    /// <exception cref="ArgumentException">A bound overflows to infinity, or <paramref name="width"/> is too small to
    /// make the bounds strictly increasing at <paramref name="start"/>'s magnitude.</exception>
    public static double[] Linear(double start, double width, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (!double.IsFinite(start))
        {
            throw new ArgumentOutOfRangeException(nameof(start), start, "Linear buckets need a finite start.");
        }
        if (!(width > 0) || !double.IsFinite(width))
        {
            throw new ArgumentOutOfRangeException(nameof(width), width, "Linear bucket width must be positive and finite.");
        }
        var buckets = new double[count];
        for (var i = 0; i < count; i++)
        {
            buckets[i] = start + i * width;
        }
        return CheckIncreasing(buckets, $"Linear({start}, {width}, {count})");
    }

    /// <summary><paramref name="count"/> buckets, the first at <paramref name="start"/>, each <paramref name="factor"/> times the last.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is below 1, <paramref name="start"/> is not positive and finite or <paramref name="factor"/> is not above 1 and finite.</exception>
    /// <exception cref="ArgumentException">A bound overflows to infinity (<c>Exponential(1e300, 1e5, 4)</c>), or
    /// <paramref name="factor"/> is too close to 1 to make the bounds strictly increasing.</exception>
    public static double[] Exponential(double start, double factor, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (!(start > 0) || !double.IsFinite(start))
        {
            throw new ArgumentOutOfRangeException(nameof(start), start, "Exponential buckets need a positive, finite start.");
        }
        if (!(factor > 1) || !double.IsFinite(factor))
        {
            throw new ArgumentOutOfRangeException(nameof(factor), factor, "Exponential buckets need a finite factor above 1.");
        }
        var buckets = new double[count];
        var bound = start;
        for (var i = 0; i < count; i++)
        {
            buckets[i] = bound;
            bound *= factor;
        }
        return CheckIncreasing(buckets, $"Exponential({start}, {factor}, {count})");
    }

    /// <summary><paramref name="count"/> exponentially spaced buckets from <paramref name="min"/> to <paramref name="max"/> inclusive.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is below 2, <paramref name="min"/> is not positive or <paramref name="max"/> is not above it or not finite.</exception>
    /// <exception cref="ArgumentException"><paramref name="min"/> and <paramref name="max"/> are too close together for
    /// <paramref name="count"/> strictly increasing bounds.</exception>
    public static double[] ExponentialRange(double min, double max, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 2);
        if (!(min > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(min), min, "Exponential buckets need a positive minimum.");
        }
        if (!(max > min) || !double.IsFinite(max))
        {
            throw new ArgumentOutOfRangeException(nameof(max), max, $"The maximum must be finite and above the minimum {min}.");
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
        return CheckIncreasing(buckets, $"ExponentialRange({min}, {max}, {count})");
    }

    /// <summary>
    /// Refuses a layout a histogram would refuse: a bound that overflowed to infinity, or two bounds that rounding made
    /// equal (or out of order).
    /// </summary>
    private static double[] CheckIncreasing(double[] buckets, string call)
    {
        for (var i = 0; i < buckets.Length; i++)
        {
            if (!double.IsFinite(buckets[i]))
            {
                throw new ArgumentException(
                    $"Buckets.{call} overflows: bound {i} is {buckets[i]} ([{string.Join(", ", buckets)}]). Use a smaller start, factor, width or count.");
            }
            if (i > 0 && !(buckets[i] > buckets[i - 1]))
            {
                throw new ArgumentException(
                    $"Buckets.{call} does not give strictly increasing bounds: bound {i - 1} is {buckets[i - 1]} and bound {i} is {buckets[i]} (the step is lost to rounding).");
            }
        }
        return buckets;
    }
}
