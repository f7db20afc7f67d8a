using System.Globalization;

namespace Instrumentation.Exposition;

/// <summary>
/// Lays out doubles exactly as the reference Go encoders do, without allocating.
/// </summary>
/// <remarks>
/// Go writes sample values with <c>strconv.FormatFloat(v, 'g', -1, 64)</c>: the shortest digits that round-trip,
/// in plain notation when the decimal exponent is in [-4, 6) and in exponent notation otherwise
/// (<c>100000</c>, <c>1e+06</c>, <c>1.23456789e+06</c>, <c>0.0001</c>, <c>1e-05</c>), the exponent signed and at
/// least two digits long. .NET's round-trip formatting finds the same shortest digits but lays them out differently
/// (<c>1E-05</c>, <c>1234567.89</c>), so this type takes .NET's digits and re-lays them out the Go way.
/// </remarks>
internal static class GoFloat
{
    /// <summary>Enough for any layout: sign, 17 digits, point, 'e', exponent sign and 3 exponent digits.</summary>
    public const int MaxLength = 32;

    /// <summary>
    /// Formats as the Prometheus text format does (Go's <c>writeFloat</c>): <c>+Inf</c>, <c>-Inf</c>, <c>NaN</c>,
    /// zero (either sign) as <c>0</c>, everything else as <c>strconv.FormatFloat(v, 'g', -1, 64)</c>.
    /// </summary>
    public static int Format(double value, Span<byte> destination)
    {
        if (double.IsNaN(value))
        {
            "NaN"u8.CopyTo(destination);
            return 3;
        }
        if (double.IsPositiveInfinity(value))
        {
            "+Inf"u8.CopyTo(destination);
            return 4;
        }
        if (double.IsNegativeInfinity(value))
        {
            "-Inf"u8.CopyTo(destination);
            return 4;
        }
        if (value == 0)
        {
            destination[0] = (byte)'0';
            return 1;
        }
        return FormatFinite(value, destination);
    }

    /// <summary>
    /// Formats as client_golang's OpenMetrics encoder does: like <see cref="Format"/>, but a number with neither a
    /// point nor an exponent gets <c>.0</c> appended (<c>1.0</c>, <c>0.0</c>, <c>100000.0</c>, <c>1e+06</c>).
    /// </summary>
    public static int FormatOpenMetrics(double value, Span<byte> destination)
    {
        var length = Format(value, destination);
        if (double.IsFinite(value) && destination[..length].IndexOfAny((byte)'.', (byte)'e') < 0)
        {
            destination[length++] = (byte)'.';
            destination[length++] = (byte)'0';
        }
        return length;
    }

    private static int FormatFinite(double value, Span<byte> destination)
    {
        // Integral values (counts, most gauges) skip the round-trip search: below 2^53 every integer is a double of its
        // own, so its digits are the shortest round-trip digits.
        if (Math.Abs(value) < 1e15 && value == Math.Floor(value))
        {
            return FormatIntegral((long)value, destination);
        }

        if (TryFormatShortDecimal(value, destination, out var written))
        {
            return written;
        }

        return FormatShortestDigits(value, destination);
    }

    /// <summary>
    /// The fast path for values with at most <see cref="ShortDecimalDigits"/> digits after the point (a gauge at 12.5,
    /// a sum of 0.25 s), which is most fractional values a scrape writes and skips the round-trip digit search.
    /// </summary>
    /// <remarks>
    /// <c>m = round(value × 10^6)</c> is tried as the digits: if <c>m / 10^6</c> (both exact in a double, so the
    /// division is correctly rounded, as parsing the decimal is) gives back <paramref name="value"/>, the decimal
    /// <c>m × 10^-6</c> round-trips. With <c>|m| &lt; 2^52</c> the spacing of doubles near the value is below 10^-6, so
    /// no other decimal with at most six fraction digits round-trips too, and none with more fraction digits has
    /// fewer significant ones: <c>m</c> without its trailing zeros is exactly the shortest round-trip digits that
    /// Go's <c>FormatFloat(v, 'g', -1, 64)</c> finds. Values that fail the check take the general path.
    /// </remarks>
    private static bool TryFormatShortDecimal(double value, Span<byte> destination, out int written)
    {
        var scaled = Math.Round(value * ShortDecimalScale);
        if (!(Math.Abs(scaled) < ShortDecimalLimit) || scaled / ShortDecimalScale != value)
        {
            written = 0;
            return false;
        }
        var m = (long)scaled;
        var magnitude = Math.Abs(m);
        var whole = magnitude / ShortDecimalUnit;
        var fraction = magnitude - (whole * ShortDecimalUnit);
        // Plain notation (decimal exponent -4 to 5): the whole part, then the fraction's digits without trailing zeros,
        // written in place. Anything else goes through the general layout.
        if (whole < PlainLimit && (whole > 0 || fraction >= ShortDecimalUnit / 10000))
        {
            written = WritePlainDecimal(m < 0, whole, fraction, destination);
            return true;
        }
        written = LayoutScaledInteger(m, ShortDecimalDigits, destination);
        return true;
    }

    private static int WritePlainDecimal(bool negative, long whole, long fraction, Span<byte> destination)
    {
        var n = 0;
        if (negative)
        {
            destination[n++] = (byte)'-';
        }
        whole.TryFormat(destination[n..], out var wholeLength, default, CultureInfo.InvariantCulture);
        n += wholeLength;
        if (fraction == 0)
        {
            return n;
        }
        var digits = ShortDecimalDigits;
        while (fraction % 10 == 0)
        {
            fraction /= 10;
            digits--;
        }
        destination[n] = (byte)'.';
        for (var i = digits; i > 0; i--)
        {
            destination[n + i] = (byte)('0' + (fraction % 10));
            fraction /= 10;
        }
        return n + 1 + digits;
    }

    private const long PlainLimit = 1_000_000;
    private const long ShortDecimalUnit = 1_000_000;
    private const int ShortDecimalDigits = 6;
    private const double ShortDecimalScale = 1e6;
    private const double ShortDecimalLimit = 4503599627370496; // 2^52

    /// <summary>The general path: .NET's shortest round-trip digits, laid out the Go way (internal for tests).</summary>
    internal static int FormatShortestDigits(double value, Span<byte> destination)
    {
        // .NET Core 3.0+ "R" yields the shortest round-trip digits, in one of its own layouts, e.g. "-1.2345E-05",
        // "0.0001", "123.45" or "1E+16". Extract digits and decimal point position from whichever it chose.
        Span<byte> raw = stackalloc byte[MaxLength];
        value.TryFormat(raw, out var rawLength, "R", CultureInfo.InvariantCulture);
        raw = raw[..rawLength];

        Span<byte> digits = stackalloc byte[MaxLength];
        var digitCount = 0;
        var pointPosition = 0; // value = 0.d1d2d3... × 10^pointPosition, as in Go's decimal type
        var seenPoint = false;
        var negative = false;
        var i = 0;
        if (raw[0] == (byte)'-')
        {
            negative = true;
            i = 1;
        }
        for (; i < raw.Length; i++)
        {
            var c = raw[i];
            if (c == (byte)'.')
            {
                seenPoint = true;
            }
            else if (c == (byte)'E' || c == (byte)'e')
            {
                pointPosition += ParseExponent(raw[(i + 1)..]);
                break;
            }
            else if (digitCount == 0 && c == (byte)'0')
            {
                // A leading zero carries no digit; after the point it moves the point left.
                if (seenPoint)
                {
                    pointPosition--;
                }
            }
            else
            {
                digits[digitCount++] = c;
                if (!seenPoint)
                {
                    pointPosition++;
                }
            }
        }
        while (digitCount > 1 && digits[digitCount - 1] == (byte)'0')
        {
            digitCount--;
        }
        return Layout(negative, digits[..digitCount], pointPosition, destination);
    }

    private static int FormatIntegral(long value, Span<byte> destination)
    {
        // Below 10^6 Go writes every digit in plain notation: exactly what the integer's own formatting writes.
        if (value is > -PlainLimit and < PlainLimit)
        {
            value.TryFormat(destination, out var written, default, CultureInfo.InvariantCulture);
            return written;
        }
        return LayoutScaledInteger(value, 0, destination);
    }

    /// <summary>Lays out <paramref name="value"/> × 10^-<paramref name="fractionDigits"/> from the integer's digits (trailing zeros dropped).</summary>
    private static int LayoutScaledInteger(long value, int fractionDigits, Span<byte> destination)
    {
        Span<byte> digits = stackalloc byte[20];
        Math.Abs(value).TryFormat(digits, out var count, default, CultureInfo.InvariantCulture);
        var pointPosition = count - fractionDigits;
        while (count > 1 && digits[count - 1] == (byte)'0')
        {
            count--;
        }
        return Layout(value < 0, digits[..count], pointPosition, destination);
    }

    private static int ParseExponent(ReadOnlySpan<byte> text)
    {
        var sign = 1;
        var i = 0;
        if (text[0] == (byte)'-')
        {
            sign = -1;
            i = 1;
        }
        else if (text[0] == (byte)'+')
        {
            i = 1;
        }
        var exponent = 0;
        for (; i < text.Length; i++)
        {
            exponent = (exponent * 10) + (text[i] - (byte)'0');
        }
        return sign * exponent;
    }

    private static int Layout(bool negative, ReadOnlySpan<byte> digits, int pointPosition, Span<byte> destination)
    {
        var n = 0;
        if (negative)
        {
            destination[n++] = (byte)'-';
        }
        var exponent = pointPosition - 1;

        // Go's %g with the shortest precision uses %e when exp < -4 || exp >= 6 (strconv uses eprec = 6 for -1).
        if (exponent < -4 || exponent >= 6)
        {
            destination[n++] = digits[0];
            if (digits.Length > 1)
            {
                destination[n++] = (byte)'.';
                digits[1..].CopyTo(destination[n..]);
                n += digits.Length - 1;
            }
            destination[n++] = (byte)'e';
            destination[n++] = exponent < 0 ? (byte)'-' : (byte)'+';
            var abs = Math.Abs(exponent);
            if (abs >= 100)
            {
                destination[n++] = (byte)('0' + (abs / 100));
                abs %= 100;
                destination[n++] = (byte)('0' + (abs / 10));
                destination[n++] = (byte)('0' + (abs % 10));
            }
            else
            {
                destination[n++] = (byte)('0' + (abs / 10));
                destination[n++] = (byte)('0' + (abs % 10));
            }
            return n;
        }

        // Plain notation: integer part (padded with zeros), then the fraction if any digits remain.
        if (pointPosition > 0)
        {
            for (var i = 0; i < pointPosition; i++)
            {
                destination[n++] = i < digits.Length ? digits[i] : (byte)'0';
            }
        }
        else
        {
            destination[n++] = (byte)'0';
        }
        if (digits.Length > pointPosition)
        {
            destination[n++] = (byte)'.';
            for (var i = pointPosition; i < digits.Length; i++)
            {
                destination[n++] = i < 0 ? (byte)'0' : digits[i];
            }
        }
        return n;
    }
}
