using System.Text;
using Instrumentation.Exposition;
using Instrumentation.Testing;

namespace Instrumentation.Tests.Exposition;

/// <summary>
/// Thousands of generated label values — any valid UTF-16 (astral characters as surrogate pairs), NUL, CR, LF, tabs,
/// quotes, backslashes, Unicode line separators and non-characters, and 1 MB strings — written in every format and read
/// back: every value comes back exactly. Lone surrogates are refused, naming the label. The seed is fixed, so a
/// failure reproduces; test/conformance feeds a sample of the same kind to promtool and the Python parsers
/// (Fixture hostile).
/// </summary>
public class HostileLabelValueTests
{
    private const int Seed = 20261207;
    private const int Count = 4000;

    private static readonly Lazy<string[]> Values = new(() => HostileValues.Generate(new Random(Seed), Count, megabyteStrings: 2));

    /// <summary>A family holding every value, each under its index (label <c>i</c>) so that it can be found again.</summary>
    private static Registry RegistryWithEveryValue()
    {
        var registry = new Registry();
        var vec = new GaugeVec(new GaugeOptions { Name = "hostile_labels", Help = "Every generated value." }, ["i", "v"]);
        registry.Register(vec);
        var values = Values.Value;
        for (var i = 0; i < values.Length; i++)
        {
            vec.WithLabels(i.ToString(System.Globalization.CultureInfo.InvariantCulture), values[i]).Set(i);
        }
        Assert.Equal(values.Length, vec.Count);
        return registry;
    }

    private static void AssertEveryValueCameBack(IEnumerable<(string Index, string Value, double Sample)> parsed)
    {
        var values = Values.Value;
        var seen = new bool[values.Length];
        foreach (var (index, value, sample) in parsed)
        {
            var i = int.Parse(index, System.Globalization.CultureInfo.InvariantCulture);
            Assert.False(seen[i], $"value {i} came back twice");
            seen[i] = true;
            Assert.Equal(i, sample);
            if (!string.Equals(values[i], value, StringComparison.Ordinal))
            {
                Assert.Fail($"value {i} (length {values[i].Length}) came back as another string (length {value.Length}); first difference at {FirstDifference(values[i], value)}");
            }
        }
        Assert.All(Enumerable.Range(0, values.Length), i => Assert.True(seen[i], $"value {i} is missing"));
    }

    private static int FirstDifference(string a, string b)
    {
        var i = 0;
        while (i < a.Length && i < b.Length && a[i] == b[i])
        {
            i++;
        }
        return i;
    }

    private static string Label(IReadOnlyList<LabelPair> labels, string name) => labels.Single(p => p.Name == name).Value;

    [Fact]
    public void The_generated_values_cover_what_they_promise()
    {
        var values = Values.Value;
        var all = string.Concat(values.Where(v => v.Length < 1000));
        Assert.Equal(Count + 2, values.Length);
        Assert.Equal(values.Length, values.Distinct(StringComparer.Ordinal).Count());
        foreach (var c in new[] { '\0', '\r', '\n', '"', '\\', '\t', '\u2028', '\uFFFE', '{', '}', ',', '=' })
        {
            Assert.Contains(c, all);
        }
        Assert.Contains(values, v => v.Any(char.IsHighSurrogate));
        Assert.Equal(2, values.Count(v => v.Length >= 1 << 20));
        Assert.All(values, v => Assert.True(v.Length > 0 && MetricNames.IsWellFormedUtf16(v)));
    }

    [Fact]
    public void Text_format_round_trips_every_value()
    {
        using var stream = new MemoryStream();
        TextFormat.Write(stream, RegistryWithEveryValue().Gather());
        var text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(stream.ToArray());

        var family = Assert.Single(ExpositionTextParser.Parse(text, "text format"));
        AssertEveryValueCameBack(family.Samples.Select(s => (Label(s.Labels, "i"), Label(s.Labels, "v"), s.Value)));
    }

    [Fact]
    public void OpenMetrics_round_trips_every_value()
    {
        using var stream = new MemoryStream();
        OpenMetricsFormat.Write(stream, RegistryWithEveryValue().Gather());
        var text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(stream.ToArray());
        Assert.EndsWith("# EOF\n", text, StringComparison.Ordinal);

        // The gauge lines of OpenMetrics are those of the text format (same escapes: \\, \" and \n).
        var family = Assert.Single(ExpositionTextParser.Parse(text, "OpenMetrics"));
        AssertEveryValueCameBack(family.Samples.Select(s => (Label(s.Labels, "i"), Label(s.Labels, "v"), s.Value)));
    }

    [Fact]
    public void Protobuf_round_trips_every_value()
    {
        using var stream = new MemoryStream();
        ProtobufFormat.Write(stream, RegistryWithEveryValue().Gather());

        var family = Assert.Single(ProtobufDecoder.DecodeDelimited(stream.ToArray()));
        AssertEveryValueCameBack(family.Metrics.Select(m =>
            (m.Labels.Single(l => l.Name == "i").Value, m.Labels.Single(l => l.Name == "v").Value, m.Gauge!.Value)));
    }

    [Fact]
    public void Lone_surrogates_are_refused_naming_the_label_and_nothing_recorded_is_lost()
    {
        var random = new Random(Seed + 1);
        var vec = new GaugeVec(new GaugeOptions { Name = "hostile_labels", Help = "H." }, ["i", "value_label"]);
        vec.WithLabels("kept", "ok").Set(7);
        for (var n = 0; n < 500; n++)
        {
            var valid = HostileValues.Generate(random, 1, megabyteStrings: 0)[0];
            var position = random.Next(valid.Length + 1);
            // Never between the halves of a pair (that would make a different string, not a lone surrogate).
            if (position > 0 && position < valid.Length && char.IsLowSurrogate(valid[position]))
            {
                position--;
            }
            var lone = (char)(random.Next(2) == 0 ? random.Next(0xD800, 0xDC00) : random.Next(0xDC00, 0xE000));
            var broken = valid.Insert(position, lone.ToString());

            var ex = Assert.ThrowsAny<ArgumentException>(() => vec.WithLabels("x", broken));
            Assert.Contains("\"value_label\"", ex.Message);
            Assert.Contains("hostile_labels", ex.Message);
        }
        Assert.Equal(1, vec.Count);
        Assert.Equal(7, vec.WithLabels("kept", "ok").Value);
    }
}
