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

    private static string Format(double value, bool openMetrics)
    {
        Span<byte> buffer = stackalloc byte[GoFloat.MaxLength];
        var length = openMetrics ? GoFloat.FormatOpenMetrics(value, buffer) : GoFloat.Format(value, buffer);
        return Encoding.ASCII.GetString(buffer[..length]);
    }
}
