using System.Numerics;

namespace Instrumentation;

/// <summary>
/// The native-histogram bucket arithmetic: which schema a bucket factor asks for, which bucket a value falls into,
/// and where a bucket goes when the resolution is halved.
/// </summary>
/// <remarks>
/// At schema <c>s</c> the buckets grow by <c>base = 2^(2^−s)</c>, and the positive bucket with index <c>i</c> holds
/// the values in <c>(base^(i−1), base^i]</c> (negative buckets mirror that for −v): bucket 0 ends at 1 and a value
/// that is exactly a bucket's upper bound (a power of two, for instance) belongs to that bucket.
/// <para>
/// The index is computed exactly, never with a floating logarithm: the value is split into a fraction in
/// <c>[0.5, 1)</c> and a binary exponent (as C's <c>frexp</c>). For schema ≤ 0 a bucket spans whole powers of two, so
/// the exponent alone decides. For schema &gt; 0 each power of two is cut into <c>2^s</c> buckets whose bounds, scaled
/// into <c>[0.5, 1)</c>, are a per-schema table; the fraction is searched in it. Each table entry is the largest
/// double not above the true (irrational) bound, checked with integer arithmetic when the table is built, so a
/// fraction equal to an entry is at or below the true bound and belongs to that entry's bucket.
/// </para>
/// </remarks>
internal static class NativeBucketIndex
{
    /// <summary>The finest schema (256 buckets per power of two).</summary>
    public const int MaxSchema = 8;

    /// <summary>The coarsest schema (each bucket 65536 times as wide as the one before).</summary>
    public const int MinSchema = -4;

    /// <summary>
    /// The index ±Inf observations use at <paramref name="schema"/>: the bucket just above the one holding
    /// <see cref="double.MaxValue"/> (index <c>1024·2^schema</c>), whose bounds are already infinite as doubles. Being
    /// adjacent, it keeps span gaps small (an index of <c>int.MaxValue</c> would overflow the encoded span offset), and
    /// halving maps it like any other index to the infinity bucket of the coarser schema.
    /// </summary>
    public static int InfinityIndex(int schema) => (1 << (10 + schema)) + 1;

    private static readonly double[]?[] Tables = new double[]?[MaxSchema + 1];

    /// <summary>
    /// The coarsest schema whose growth factor <c>2^(2^−schema)</c> does not exceed <paramref name="factor"/>
    /// (which must be above 1): <see cref="MinSchema"/> for factors of 65536 and more, <see cref="MaxSchema"/> for
    /// factors below <c>2^(1/256)</c>.
    /// </summary>
    public static int SchemaFor(double factor)
    {
        for (var schema = MinSchema; schema < MaxSchema; schema++)
        {
            if (GrowthFactor(schema) <= factor)
            {
                return schema;
            }
        }
        return MaxSchema;
    }

    /// <summary>The ratio of one bucket's upper bound to the previous one's at <paramref name="schema"/>.</summary>
    public static double GrowthFactor(int schema) => Math.Pow(2, Math.ScaleB(1, -schema));

    /// <summary>
    /// The index of the bucket a positive magnitude <paramref name="magnitude"/> (finite or +Inf, above the zero
    /// threshold, not NaN) falls into at <paramref name="schema"/>.
    /// </summary>
    public static int IndexOf(double magnitude, int schema)
    {
        if (double.IsPositiveInfinity(magnitude))
        {
            return InfinityIndex(schema);
        }
        // frexp: magnitude = fraction * 2^exponent with fraction in [0.5, 1). ILogB is exact for subnormals too, and
        // scaling by a power of two is exact.
        var exponent = Math.ILogB(magnitude) + 1;
        var fraction = Math.ScaleB(magnitude, -exponent);
        if (schema > 0)
        {
            var bounds = Table(schema);
            return LowerBound(bounds, fraction) + (exponent - 1) * bounds.Length;
        }
        // 2^e splits as 0.5 * 2^(e+1) but is the upper bound of bucket e (at schema 0), not the start of the next one.
        var key = fraction == 0.5 ? exponent - 1 : exponent;
        return CeilShift(key, -schema);
    }

    /// <summary>The index that bucket <paramref name="index"/> has after the resolution is lowered by <paramref name="steps"/> schemas.</summary>
    public static int Coarsen(int index, int steps)
    {
        // Bucket i at schema s is (b^(i-1), b^i]; at schema s-1 (base b^2) it lies in bucket ceil(i/2). The infinity
        // bucket, 1024·2^s + 1, maps to 512·2^s + 1: the infinity bucket of the coarser schema.
        return steps == 0 ? index : CeilShift(index, steps);
    }

    private static int CeilShift(int key, int shift) => (int)(((long)key + (1L << shift) - 1) >> shift);

    /// <summary>
    /// Builds the bound table of <paramref name="schema"/> ahead of its first observation (when a histogram is created
    /// or halved), so the one-time cost — big-integer powers up to the 256th for schema 8 — is never paid in Observe.
    /// </summary>
    public static void Prepare(int schema)
    {
        if (schema > 0)
        {
            Table(schema);
        }
    }

    /// <summary>The bounds of schema <paramref name="schema"/> (&gt; 0) scaled into [0.5, 1), built once per schema.</summary>
    internal static double[] Table(int schema)
    {
        var table = Volatile.Read(ref Tables[schema]);
        if (table is null)
        {
            table = BuildTable(schema);
            Volatile.Write(ref Tables[schema], table);
        }
        return table;
    }

    private static double[] BuildTable(int schema)
    {
        var perPower = 1 << schema;
        var table = new double[perPower];
        for (var j = 0; j < perPower; j++)
        {
            // The true bound is 2^(j/perPower - 1); its perPower-th power is 2^(j - perPower), a power of two, which
            // lets integer arithmetic decide exactly whether a double is above it.
            var candidate = Math.Pow(2, (double)j / perPower - 1);
            while (candidate > 0.5 && PowerExceeds(candidate, perPower, j - perPower))
            {
                candidate = Math.BitDecrement(candidate);
            }
            while (!PowerExceeds(Math.BitIncrement(candidate), perPower, j - perPower))
            {
                candidate = Math.BitIncrement(candidate);
            }
            table[j] = candidate;
        }
        return table;
    }

    /// <summary>Whether <paramref name="value"/>^<paramref name="power"/> &gt; 2^<paramref name="exponent"/>, exactly.</summary>
    private static bool PowerExceeds(double value, int power, int exponent)
    {
        // value = mantissa * 2^scale with an integer mantissa, so value^power = mantissa^power * 2^(scale*power).
        var bits = BitConverter.DoubleToInt64Bits(value);
        var mantissa = (bits & 0x000F_FFFF_FFFF_FFFF) | 0x0010_0000_0000_0000;
        var scale = (int)((bits >> 52) & 0x7FF) - 1075;
        var left = BigInteger.Pow(mantissa, power);
        var shift = exponent - scale * power;
        return shift >= 0 ? left > (BigInteger.One << shift) : (left << -shift) > BigInteger.One;
    }

    /// <summary>The first bound at or above <paramref name="fraction"/> (the bucket whose upper bound includes it).</summary>
    private static int LowerBound(double[] bounds, double fraction)
    {
        int low = 0, high = bounds.Length;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (bounds[middle] < fraction)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }
        return low;
    }
}
