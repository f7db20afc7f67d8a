using System.Text;

namespace Instrumentation.Tests.Exposition;

// Also compiled into test/conformance/Fixture ("hostile" mode), which writes a sample for promtool and the Python parsers.

/// <summary>Generates distinct, valid UTF-16 label values that a careless writer or parser would get wrong.</summary>
internal static class HostileValues
{
    private static readonly string[] Specials = ["\0", "\r", "\n", "\r\n", "\"", "\\", "\\n", "\\\"", "\t", " ", "\u2028", "\u2029", "\u0085", "\uFEFF", "\uFFFE", "\uFFFF", "{", "}", ",", "=", "#", "# EOF", "\u00e9", "\U0001F600", "\U0010FFFF"];

    public static string[] Generate(Random random, int count, int megabyteStrings)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var values = new List<string>(count + megabyteStrings);
        while (values.Count < count)
        {
            var value = One(random, random.Next(1, 48));
            if (seen.Add(value))
            {
                values.Add(value);
            }
        }
        for (var m = 0; m < megabyteStrings; m++)
        {
            values.Add(One(random, 1 << 20));
        }
        return [.. values];
    }

    private static string One(Random random, int length)
    {
        var builder = new StringBuilder(length + 2);
        while (builder.Length < length)
        {
            switch (random.Next(8))
            {
                case 0:
                    builder.Append(Specials[random.Next(Specials.Length)]);
                    break;
                case 1:
                    builder.Append(char.ConvertFromUtf32(random.Next(0x10000, 0x110000))); // astral: a surrogate pair
                    break;
                case 2:
                    builder.Append((char)random.Next(0, 0x20)); // control characters
                    break;
                case 3:
                case 4:
                    builder.Append((char)random.Next(0x20, 0x7F));
                    break;
                default:
                    var c = random.Next(0x80, 0x10000 - 0x800);
                    builder.Append((char)(c >= 0xD800 ? c + 0x800 : c)); // any BMP character but a surrogate
                    break;
            }
        }
        return builder.ToString();
    }
}
