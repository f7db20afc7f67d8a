using System.Text;
using Instrumentation.Exposition;

namespace Instrumentation.Tests.Exposition;

public class GoFloatTests
{
    // Expected strings are what Go's strconv.FormatFloat(v, 'g', -1, 64) prints (text format's writeFloat for 0).
    [Theory]
    [InlineData(0.0, "0")]
    [InlineData(1.0, "1")]
    [InlineData(-1.0, "-1")]
    [InlineData(0.5, "0.5")]
    [InlineData(-2.5, "-2.5")]
    [InlineData(10.0, "10")]
    [InlineData(0.1, "0.1")]
    [InlineData(0.005, "0.005")]
    [InlineData(0.30000000000000004, "0.30000000000000004")]
    [InlineData(1.0 / 3, "0.3333333333333333")]
    [InlineData(3.14159, "3.14159")]
    [InlineData(12345.678, "12345.678")]
    [InlineData(100000.0, "100000")]
    [InlineData(123456.0, "123456")]
    [InlineData(999999.0, "999999")]
    [InlineData(999999.5, "999999.5")]
    [InlineData(1000000.0, "1e+06")]
    [InlineData(-1000000.0, "-1e+06")]
    [InlineData(1234567.0, "1.234567e+06")]
    [InlineData(1234567.89, "1.23456789e+06")]
    [InlineData(4.2e6, "4.2e+06")]
    [InlineData(1520879607.789, "1.520879607789e+09")]
    [InlineData(123456789012.0, "1.23456789012e+11")]
    [InlineData(1e15, "1e+15")]
    [InlineData(9007199254740993.0, "9.007199254740992e+15")]
    [InlineData(1e21, "1e+21")]
    [InlineData(1e100, "1e+100")]
    [InlineData(1.7976931348623157e308, "1.7976931348623157e+308")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(0.00012345, "0.00012345")]
    [InlineData(-0.0001, "-0.0001")]
    [InlineData(1e-05, "1e-05")]
    [InlineData(2.5e-05, "2.5e-05")]
    [InlineData(1.5e-07, "1.5e-07")]
    [InlineData(1e-100, "1e-100")]
    [InlineData(5e-324, "5e-324")]
    [InlineData(2.2250738585072014e-308, "2.2250738585072014e-308")]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NegativeInfinity, "-Inf")]
    [InlineData(double.NaN, "NaN")]
    public void Format_lays_out_like_go_strconv_g(double value, string expected)
    {
        Assert.Equal(expected, Format(value, openMetrics: false));
    }

    // client_golang's OpenMetrics encoder appends ".0" when the Go layout has neither a point nor an exponent.
    [Theory]
    [InlineData(0.0, "0.0")]
    [InlineData(1.0, "1.0")]
    [InlineData(-1.0, "-1.0")]
    [InlineData(10.0, "10.0")]
    [InlineData(100000.0, "100000.0")]
    [InlineData(0.5, "0.5")]
    [InlineData(1000000.0, "1e+06")]
    [InlineData(1e-05, "1e-05")]
    [InlineData(1520879607.789, "1.520879607789e+09")]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NegativeInfinity, "-Inf")]
    [InlineData(double.NaN, "NaN")]
    public void FormatOpenMetrics_adds_point_zero_to_integers(double value, string expected)
    {
        Assert.Equal(expected, Format(value, openMetrics: true));
    }

    [Fact]
    public void Format_round_trips_random_doubles()
    {
        var random = new Random(42);
        Span<byte> buffer = stackalloc byte[GoFloat.MaxLength];
        for (var i = 0; i < 20000; i++)
        {
            var value = BitConverter.Int64BitsToDouble(random.NextInt64());
            if (!double.IsFinite(value) || value == 0)
            {
                continue;
            }
            var length = GoFloat.Format(value, buffer);
            var text = Encoding.ASCII.GetString(buffer[..length]);
            Assert.Equal(value, double.Parse(text, System.Globalization.CultureInfo.InvariantCulture));
            Assert.DoesNotContain("E", text);
        }
    }

    // The short-decimal fast path must lay out exactly what the general round-trip path does: decimals with up to
    // six fraction digits at every magnitude up to where the spacing of doubles reaches 1e-6, their neighbours one
    // ulp away (which need more digits), and sums that are not short decimals (0.1 + 0.2).
    [Fact]
    public void Short_decimals_are_laid_out_as_the_general_path_lays_them_out()
    {
        var random = new Random(20261207);
        Span<byte> fast = stackalloc byte[GoFloat.MaxLength];
        Span<byte> general = stackalloc byte[GoFloat.MaxLength];
        var checkedValues = 0;
        for (var i = 0; i < 200000; i++)
        {
            var fractionDigits = random.Next(0, 8);
            var magnitude = random.Next(0, 17);
            var mantissa = random.NextInt64(1, (long)Math.Pow(10, magnitude) + 1) * (random.Next(2) == 0 ? 1 : -1);
            var value = mantissa / Math.Pow(10, fractionDigits);
            foreach (var candidate in new[] { value, Math.BitIncrement(value), Math.BitDecrement(value), value + 0.1 + 0.2, value * 3 })
            {
                if (!double.IsFinite(candidate) || candidate == 0)
                {
                    continue;
                }
                var fastLength = GoFloat.Format(candidate, fast);
                var generalLength = GoFloat.FormatShortestDigits(candidate, general);
                Assert.True(fast[..fastLength].SequenceEqual(general[..generalLength]),
                    $"{candidate:R}: \"{Encoding.ASCII.GetString(fast[..fastLength])}\" vs \"{Encoding.ASCII.GetString(general[..generalLength])}\"");
                checkedValues++;
            }
        }
        Assert.True(checkedValues > 900000);
    }

    [Theory]
    [InlineData(2.501, "2.501")]
    [InlineData(-0.000001, "-1e-06")]
    [InlineData(0.000015, "1.5e-05")]
    [InlineData(4503599627.370495, "4.503599627370495e+09")]
    [InlineData(4503599627.370497, "4.503599627370497e+09")]
    [InlineData(0.1234567, "0.1234567")]
    public void Short_decimals_and_their_edges(double value, string expected)
    {
        Assert.Equal(expected, Format(value, openMetrics: false));
    }

    private static string Format(double value, bool openMetrics)
    {
        Span<byte> buffer = stackalloc byte[GoFloat.MaxLength];
        var length = openMetrics ? GoFloat.FormatOpenMetrics(value, buffer) : GoFloat.Format(value, buffer);
        return Encoding.ASCII.GetString(buffer[..length]);
    }
}
