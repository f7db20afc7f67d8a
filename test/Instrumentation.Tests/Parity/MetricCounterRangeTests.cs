namespace Instrumentation.Tests.Parity;

/// <summary>
/// Issue 11 item 9: a counter's value never goes down, however large it gets — whole increments past the 64-bit
/// integer range continue in the double instead of wrapping negative, on the single word and on the per-core cells.
/// </summary>
public class MetricCounterRangeTests
{
    private static Counter NewCounter() => new(new CounterOptions { Name = "c_total", Help = "C." });

    [Fact]
    public void Two_huge_whole_adds_do_not_wrap_negative()
    {
        var counter = NewCounter();
        counter.Add(5e18);
        counter.Add(5e18);
        Assert.Equal(1e19, counter.Value);
        var point = new MetricPoint();
        counter.Write(point);
        Assert.Equal(1e19, point.Value);
    }

    [Fact]
    public void Whole_adds_past_the_long_range_keep_counting_and_never_go_down()
    {
        var counter = NewCounter();
        const double Step = 9007199254740991; // 2^53 - 1: the whole path; 1025 of them pass long.MaxValue
        var last = 0.0;
        for (var i = 1; i <= 1100; i++)
        {
            counter.Add(Step);
            var value = counter.Value;
            Assert.True(value >= last, $"went down from {last:R} to {value:R} at add {i}");
            last = value;
        }
        counter.Inc();
        Assert.Equal(1100 * Step, counter.Value, 1e-15 * 1100 * Step);
        Assert.True(counter.Value >= last);
    }

    [Fact]
    public void Incs_stay_exact_below_the_integer_range()
    {
        var counter = NewCounter();
        counter.Add(1L << 53);
        counter.Inc();
        counter.Inc();
        // 2^53 + 2 is a double; a double accumulator would have lost the first Inc (2^53 + 1 rounds to 2^53).
        Assert.Equal(9007199254740994.0, counter.Value);
    }

    [Fact]
    public void Per_core_cells_do_not_wrap_either()
    {
        var counter = NewCounter();
        counter.SwitchToCells();
        var step = (double)(1L << 53);
        var last = 0.0;
        for (var i = 1; i <= 2000; i++)
        {
            counter.Add(step);
            var value = counter.Value;
            Assert.True(value >= last, $"went down from {last:R} to {value:R} at add {i}");
            last = value;
        }
        // 2000 * 2^53 = 125 * 2^57: exact in a double, and every part (cells, word, double) is a multiple of 2^53.
        Assert.Equal(2000 * step, counter.Value);
        counter.Inc();
        Assert.True(counter.Value >= 2000 * step);
    }

    [Fact]
    public void Striped_count_totals_beyond_a_long_in_128_bits()
    {
        var count = new StripedCount();
        Assert.True(count.TryAdd(StripedCount.MaxDelta));
        count.SwitchToCells();
        var added = (Int128)StripedCount.MaxDelta;
        // Fill this thread's cell to its limit; every add on the way is counted exactly.
        while (count.TryAdd(StripedCount.MaxDelta))
        {
            added += StripedCount.MaxDelta;
        }
        Assert.Equal(added, count.Total());
        Assert.True(added >= CounterCells.CellLimit);
    }

    [Fact]
    public void Concurrent_incs_on_cells_stay_exact()
    {
        var counter = NewCounter();
        counter.SwitchToCells();
        Parallel.For(0, 4, _ =>
        {
            for (var i = 0; i < 100_000; i++)
            {
                counter.Inc();
            }
        });
        Assert.Equal(400_000, counter.Value);
    }
}
