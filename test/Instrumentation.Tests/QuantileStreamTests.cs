namespace Instrumentation.Tests;

public class QuantileStreamTests
{
    private static readonly (double Rank, double Error)[] Objectives = [(0.5, 0.05), (0.9, 0.01), (0.99, 0.001)];

    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    [InlineData(1_000)]
    [InlineData(100_000)]
    public void Quantiles_of_one_to_n_in_random_order_are_within_the_error_bounds(int n)
    {
        var values = Enumerable.Range(1, n).Select(i => (double)i).ToArray();
        new Random(n).Shuffle(values);

        var stream = Stream(Objectives);
        InsertInBatches(stream, values, batchSize: 500);

        AssertWithinBounds(stream, values, Objectives);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Quantiles_of_skewed_random_data_are_within_the_error_bounds(int seed)
    {
        var random = new Random(seed);
        // Exponential-ish latencies with many duplicates from rounding, plus a few huge outliers.
        var values = Enumerable.Range(0, 50_000)
            .Select(i => i % 997 == 0 ? 1e6 * random.NextDouble() : Math.Round(-Math.Log(1 - random.NextDouble()) * 100, 1))
            .ToArray();

        var stream = Stream(Objectives);
        InsertInBatches(stream, values, batchSize: 1 + seed * 97);

        AssertWithinBounds(stream, values, Objectives);
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    [InlineData(14)]
    [InlineData(15)]
    [InlineData(16)]
    public void Random_objectives_over_random_data_in_random_batches_are_within_the_error_bounds(int seed)
    {
        var random = new Random(seed);
        var objectives = Enumerable.Range(0, random.Next(1, 6))
            .Select(_ => random.NextDouble())
            .Distinct()
            .Select(rank => (rank, Math.Round(random.NextDouble() * 0.05, 4)))
            .ToArray();
        var values = Enumerable.Range(0, random.Next(1, 30_000)).Select(_ => Math.Floor(random.NextDouble() * random.Next(1, 5_000))).ToArray();
        var stream = Stream(objectives);

        for (var start = 0; start < values.Length;)
        {
            var length = Math.Min(random.Next(1, 700), values.Length - start);
            var batch = values.AsSpan(start, length).ToArray();
            Array.Sort(batch);
            stream.InsertSorted(batch);
            start += length;
        }

        AssertWithinBounds(stream, values, objectives);
    }

    [Fact]
    public void A_high_target_with_a_loose_error_is_still_answered_within_its_bound()
    {
        // 2ε/(1 − φ) > 1 here: checking the allowed uncertainty only where an entry starts would let one entry span
        // from the bottom across rank 0.92·n, and the query would answer the minimum.
        (double, double)[] objectives = [(0.92, 0.043)];
        var values = Enumerable.Range(0, 10_000).Select(i => (double)i).ToArray();
        new Random(5).Shuffle(values);
        var stream = Stream(objectives);

        InsertInBatches(stream, values, batchSize: 257);

        AssertWithinBounds(stream, values, objectives);
    }

    [Fact]
    public void Values_inserted_one_at_a_time_in_ascending_and_descending_order_stay_within_bounds()
    {
        var ascending = Enumerable.Range(1, 20_000).Select(i => (double)i).ToArray();
        var up = Stream(Objectives);
        var down = Stream(Objectives);
        foreach (var value in ascending)
        {
            up.InsertSorted([value]);
        }
        foreach (var value in ascending.Reverse())
        {
            down.InsertSorted([value]);
        }

        AssertWithinBounds(up, ascending, Objectives);
        AssertWithinBounds(down, ascending, Objectives);
    }

    [Fact]
    public void Stream_keeps_far_fewer_entries_than_observations()
    {
        var values = Enumerable.Range(1, 200_000).Select(i => (double)i).ToArray();
        new Random(7).Shuffle(values);
        var stream = Stream(Objectives);

        InsertInBatches(stream, values, batchSize: 500);

        Assert.Equal(200_000, stream.Count);
        Assert.True(stream.EntryCount < 5_000, $"kept {stream.EntryCount} entries");
    }

    [Fact]
    public void Ranks_zero_and_one_are_the_exact_minimum_and_maximum()
    {
        var values = Enumerable.Range(0, 10_000).Select(i => (double)((i * 7919) % 10_007)).ToArray();
        (double, double)[] objectives = [(0, 0.01), (0.5, 0.05), (1, 0.01)];
        var stream = Stream(objectives);

        InsertInBatches(stream, values, batchSize: 333);

        Assert.Equal(values.Min(), stream.Query(0));
        Assert.Equal(values.Max(), stream.Query(1));
    }

    [Fact]
    public void Zero_error_gives_exact_quantiles()
    {
        var values = Enumerable.Range(1, 1_000).Select(i => (double)i).ToArray();
        new Random(3).Shuffle(values);
        var stream = Stream([(0.5, 0), (0.9, 0)]);

        InsertInBatches(stream, values, batchSize: 100);

        Assert.Equal(500, stream.Query(0.5));
        Assert.Equal(900, stream.Query(0.9));
    }

    [Fact]
    public void Empty_stream_answers_NaN_and_reset_empties_it()
    {
        var stream = Stream(Objectives);
        Assert.True(double.IsNaN(stream.Query(0.5)));

        stream.InsertSorted([1, 2, 3]);
        Assert.Equal(2, stream.Query(0.5));

        stream.Reset();
        Assert.Equal(0, stream.Count);
        Assert.True(double.IsNaN(stream.Query(0.5)));
        stream.InsertSorted([10]);
        Assert.Equal(10, stream.Query(0.99));
    }

    [Fact]
    public void Infinite_values_are_ordered_like_any_other()
    {
        var stream = Stream([(0, 0.01), (1, 0.01)]);
        stream.InsertSorted([double.NegativeInfinity, 0, double.PositiveInfinity]);

        Assert.Equal(double.NegativeInfinity, stream.Query(0));
        Assert.Equal(double.PositiveInfinity, stream.Query(1));
    }

    internal static QuantileStream Stream((double Rank, double Error)[] objectives) =>
        new(objectives.Select(o => o.Rank).ToArray(), objectives.Select(o => o.Error).ToArray());

    private static void InsertInBatches(QuantileStream stream, double[] values, int batchSize)
    {
        for (var start = 0; start < values.Length; start += batchSize)
        {
            var batch = values.AsSpan(start, Math.Min(batchSize, values.Length - start)).ToArray();
            Array.Sort(batch);
            stream.InsertSorted(batch);
        }
    }

    private static void AssertWithinBounds(QuantileStream stream, double[] values, (double Rank, double Error)[] objectives)
    {
        var sorted = values.Order().ToArray();
        foreach (var (rank, error) in objectives)
        {
            AssertRankWithin(sorted, stream.Query(rank), rank, error);
        }
    }

    /// <summary>
    /// Asserts that <paramref name="value"/> has, in <paramref name="sorted"/>, a rank within (φ ± ε)·n (one rank of
    /// slack for rounding).
    /// </summary>
    internal static void AssertRankWithin(double[] sorted, double value, double rank, double error)
    {
        var n = sorted.Length;
        var lowestRank = LowerBound(sorted, value) + 1;   // 1-based ranks the value occupies
        var highestRank = UpperBound(sorted, value);
        var allowedLow = (rank - error) * n - 1;
        var allowedHigh = (rank + error) * n + 1;
        Assert.True(highestRank >= lowestRank && highestRank >= allowedLow && lowestRank <= allowedHigh,
            $"q{rank} (±{error}) of {n} values answered {value}, of rank {lowestRank}..{highestRank}; allowed {allowedLow:F1}..{allowedHigh:F1}");
    }

    private static int LowerBound(double[] sorted, double value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (sorted[mid] < value)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }
        return lo;
    }

    private static int UpperBound(double[] sorted, double value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (sorted[mid] <= value)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }
        return lo;
    }
}
