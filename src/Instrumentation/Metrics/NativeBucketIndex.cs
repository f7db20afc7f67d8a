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
/// into <c>[0.5, 1)</c>, are a per-schema table; the fraction is searched in it, and a fraction equal to an entry
/// belongs to that entry's bucket.
/// </para>
/// <para>
/// The tables are Prometheus's reference bounds (<c>nativeHistogramBounds</c> in client_golang's histogram.go and the
/// server's model/histogram/generic.go), not the correctly rounded true bounds: both the reference client and the
/// server bucket and display with those doubles, which differ from the nearest double to <c>2^(j/2^s − 1)</c> by up
/// to three ulps in 1 of 4 (schema 2) to 139 of 256 (schema 8) entries. Using anything else puts a value observed
/// exactly at a bound Prometheus shows (schema 3: <c>0.5452538663326288</c>) one bucket off. Every schema's table is
/// a subset of schema 8's (schema <c>s</c> takes every <c>2^(8−s)</c>-th entry), so only that one is stored, as the
/// doubles' bit patterns.
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
    /// or halved), so its one-time allocation is never paid in Observe.
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
        var reference = Schema8Bounds;
        var stride = 1 << (MaxSchema - schema);
        var table = new double[1 << schema];
        for (var j = 0; j < table.Length; j++)
        {
            table[j] = BitConverter.UInt64BitsToDouble(reference[j * stride]);
        }
        return table;
    }

    /// <summary>
    /// Prometheus's reference bounds of schema 8 scaled into [0.5, 1) — entry <c>j</c> is its double for
    /// <c>2^(j/256 − 1)</c> — as IEEE 754 bit patterns (exact, independent of how a compiler parses decimals).
    /// </summary>
    private static ReadOnlySpan<ulong> Schema8Bounds =>
    [
        0x3FE0000000000000, 0x3FE00B1AFA5ABCBF, 0x3FE0163DA9FB3335, 0x3FE02168143B0281,
        0x3FE02C9A3E778061, 0x3FE037D42E11BBCC, 0x3FE04315E86E7F84, 0x3FE04E5F72F654B1,
        0x3FE059B0D3158574, 0x3FE0650A0E3C1F89, 0x3FE0706B29DDF6DD, 0x3FE07BD42B72A836,
        0x3FE0874518759BC8, 0x3FE092BDF66607E0, 0x3FE09E3ECAC6F383, 0x3FE0A9C79B1F3919,
        0x3FE0B5586CF9890F, 0x3FE0C0F145E46C85, 0x3FE0CC922B7247F6, 0x3FE0D83B23395DEA,
        0x3FE0E3EC32D3D1A2, 0x3FE0EFA55FDFA9C5, 0x3FE0FB66AFFED31A, 0x3FE1073028D7233D,
        0x3FE11301D0125B50, 0x3FE11EDBAB5E2AB5, 0x3FE12ABDC06C31CB, 0x3FE136A814F204AA,
        0x3FE1429AAEA92DDF, 0x3FE14E95934F312D, 0x3FE15A98C8A58E50, 0x3FE166A45471C3C1,
        0x3FE172B83C7D517B, 0x3FE17ED48695BBC0, 0x3FE18AF9388C8DE9, 0x3FE1972658375D2F,
        0x3FE1A35BEB6FCB75, 0x3FE1AF99F8138A1C, 0x3FE1BBE084045CD3, 0x3FE1C82F95281C6B,
        0x3FE1D4873168B9AA, 0x3FE1E0E75EB44026, 0x3FE1ED5022FCD91C, 0x3FE1F9C18438CE4C,
        0x3FE2063B88628CD6, 0x3FE212BE3578A819, 0x3FE21F49917DDC95, 0x3FE22BDDA27912D0,
        0x3FE2387A6E756238, 0x3FE2451FFB82140A, 0x3FE251CE4FB2A63E, 0x3FE25E85711ECE74,
        0x3FE26B4565E27CDD, 0x3FE2780E341DDF2A, 0x3FE284DFE1F56380, 0x3FE291BA7591BB6F,
        0x3FE29E9DF51FDEE1, 0x3FE2AB8A66D10F13, 0x3FE2B87FD0DAD98F, 0x3FE2C57E39771B2E,
        0x3FE2D285A6E4030B, 0x3FE2DF961F641589, 0x3FE2ECAFA93E2F55, 0x3FE2F9D24ABD886A,
        0x3FE306FE0A31B715, 0x3FE31432EDEEB2FD, 0x3FE32170FC4CD831, 0x3FE32EB83BA8EA32,
        0x3FE33C08B26416FF, 0x3FE3496266E3FA2D, 0x3FE356C55F929FF0, 0x3FE36431A2DE883A,
        0x3FE371A7373AA9CA, 0x3FE37F26231E7549, 0x3FE38CAE6D05D864, 0x3FE39A401B7140ED,
        0x3FE3A7DB34E59FF6, 0x3FE3B57FBFEC6CF4, 0x3FE3C32DC313A8E3, 0x3FE3D0E544EDE172,
        0x3FE3DEA64C123422, 0x3FE3EC70DF1C5175, 0x3FE3FA4504AC801B, 0x3FE40822C367A024,
        0x3FE4160A21F72E2A, 0x3FE423FB2709468A, 0x3FE431F5D950A896, 0x3FE43FFA3F84B9D4,
        0x3FE44E086061892D, 0x3FE45C2042A7D232, 0x3FE46A41ED1D0057, 0x3FE4786D668B3236,
        0x3FE486A2B5C13CD0, 0x3FE494E1E192AED2, 0x3FE4A32AF0D7D3DE, 0x3FE4B17DEA6DB7D7,
        0x3FE4BFDAD5362A27, 0x3FE4CE41B817C114, 0x3FE4DCB299FDDD0D, 0x3FE4EB2D81D8ABFE,
        0x3FE4F9B2769D2CA7, 0x3FE508417F4531EF, 0x3FE516DAA2CF6642, 0x3FE5257DE83F4EEF,
        0x3FE5342B569D4F81, 0x3FE542E2F4F6AD27, 0x3FE551A4CA5D920D, 0x3FE56070DDE910D0,
        0x3FE56F4736B527DA, 0x3FE57E27DBE2C4CF, 0x3FE58D12D497C7FC, 0x3FE59C0827FF07CB,
        0x3FE5AB07DD485429, 0x3FE5BA11FBA87A02, 0x3FE5C9268A5946B6, 0x3FE5D84590998B92,
        0x3FE5E76F15AD2148, 0x3FE5F6A320DCEB71, 0x3FE605E1B976DC08, 0x3FE6152AE6CDF6F4,
        0x3FE6247EB03A5584, 0x3FE633DD1D1929FD, 0x3FE6434634CCC31E, 0x3FE652B9FEBC8FB5,
        0x3FE6623882552224, 0x3FE671C1C70833F5, 0x3FE68155D44CA972, 0x3FE690F4B19E9537,
        0x3FE6A09E667F3BCC, 0x3FE6B052FA75173E, 0x3FE6C012750BDABE, 0x3FE6CFDCDDD47645,
        0x3FE6DFB23C651A2E, 0x3FE6EF9298593AE4, 0x3FE6FF7DF9519482, 0x3FE70F7466F42E85,
        0x3FE71F75E8EC5F73, 0x3FE72F8286EAD089, 0x3FE73F9A48A58172, 0x3FE74FBD35D7CBFC,
        0x3FE75FEB564267C8, 0x3FE77024B1AB6E09, 0x3FE780694FDE5D3E, 0x3FE790B938AC1CF5,
        0x3FE7A11473EB0186, 0x3FE7B17B0976CFDA, 0x3FE7C1ED0130C131, 0x3FE7D26A62FF86EF,
        0x3FE7E2F336CF4E61, 0x3FE7F3878491C490, 0x3FE80427543E1A10, 0x3FE814D2ADD106D8,
        0x3FE82589994CCE11, 0x3FE8364C1EB941F6, 0x3FE8471A4623C7AB, 0x3FE857F4179F5B1F,
        0x3FE868D99B4492EB, 0x3FE879CAD931A435, 0x3FE88AC7D98A6697, 0x3FE89BD0A478580D,
        0x3FE8ACE5422AA0DB, 0x3FE8BE05BAD61778, 0x3FE8CF3216B5448B, 0x3FE8E06A5E0866D8,
        0x3FE8F1AE99157736, 0x3FE902FED0282C8A, 0x3FE9145B0B91FFC5, 0x3FE925C353AA2FE2,
        0x3FE93737B0CDC5E4, 0x3FE948B82B5F98E4, 0x3FE95A44CBC8520D, 0x3FE96BDD9A7670B1,
        0x3FE97D829FDE4E4F, 0x3FE98F33E47A22A2, 0x3FE9A0F170CA07B8, 0x3FE9B2BB4D53FE0B,
        0x3FE9C49182A3F08F, 0x3FE9D674194BB8D4, 0x3FE9E86319E32321, 0x3FE9FA5E8D07F29C,
        0x3FEA0C667B5DE564, 0x3FEA1E7AED8EB8BB, 0x3FEA309BEC4A2D32, 0x3FEA42C980460AD7,
        0x3FEA5503B23E255B, 0x3FEA674A8AF46051, 0x3FEA799E1330B356, 0x3FEA8BFE53C12E57,
        0x3FEA9E6B5579FDBE, 0x3FEAB0E521356EB9, 0x3FEAC36BBFD3F378, 0x3FEAD5FF3A3C2773,
        0x3FEAE89F995AD3AC, 0x3FEAFB4CE622F2FE, 0x3FEB0E07298DB663, 0x3FEB20CE6C9A8950,
        0x3FEB33A2B84F15FA, 0x3FEB468415B749B0, 0x3FEB59728DE55938, 0x3FEB6C6E29F1C529,
        0x3FEB7F76F2FB5E45, 0x3FEB928CF22749E2, 0x3FEBA5B030A10647, 0x3FEBB8E0B79A6F1D,
        0x3FEBCC1E904BC1D0, 0x3FEBDF69C3F3A205, 0x3FEBF2C25BD71E06, 0x3FEC06286141B33B,
        0x3FEC199BDD85529A, 0x3FEC2D1CD9FA652A, 0x3FEC40AB5FFFD078, 0x3FEC544778FAFB20,
        0x3FEC67F12E57D149, 0x3FEC7BA88988C931, 0x3FEC8F6D9406E7B2, 0x3FECA3405751C4D8,
        0x3FECB720DCEF9066, 0x3FECCB0F2E6D1672, 0x3FECDF0B555DC3F6, 0x3FECF3155B5BAB70,
        0x3FED072D4A078979, 0x3FED1B532B08C966, 0x3FED2F87080D89EE, 0x3FED43C8EACAA1D3,
        0x3FED5818DCFBA486, 0x3FED6C76E862E6D2, 0x3FED80E316C98396, 0x3FED955D71FF6074,
        0x3FEDA9E603DB3284, 0x3FEDBE7CD63A8313, 0x3FEDD321F301B45E, 0x3FEDE7D5641C0656,
        0x3FEDFC97337B9B5D, 0x3FEE11676B197D16, 0x3FEE264614F5A126, 0x3FEE3B333B16EE0F,
        0x3FEE502EE78B3FF5, 0x3FEE653924676D75, 0x3FEE7A51FBC74C81, 0x3FEE8F7977CDB73E,
        0x3FEEA4AFA2A490D8, 0x3FEEB9F4867CCA6D, 0x3FEECF482D8E67EE, 0x3FEEE4AAA218850E,
        0x3FEEFA1BEE615A26, 0x3FEF0F9C1CB64129, 0x3FEF252B376BBA95, 0x3FEF3AC948DD7272,
        0x3FEF50765B6E453E, 0x3FEF6632798844F6, 0x3FEF7BFDAD9CBE10, 0x3FEF91D802243C86,
        0x3FEFA7C1819E90D6, 0x3FEFBDBA3692D512, 0x3FEFD3C22B8F71EE, 0x3FEFE9D96B2A23D6,
    ];

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
