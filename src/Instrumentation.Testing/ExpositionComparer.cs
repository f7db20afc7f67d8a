namespace Instrumentation.Testing;

/// <summary>
/// Compares two sets of parsed families and describes every difference in words: a family or series missing or
/// unexpected, a HELP or TYPE that differs, a sample whose value differs.
/// </summary>
internal static class ExpositionComparer
{
    /// <summary>How many samples a missing or unexpected family or series lists before summarising the rest.</summary>
    private const int MaxListedSamples = 10;

    /// <summary>Returns the differences, in family-name order; empty when the two are equivalent.</summary>
    public static List<string> Compare(IReadOnlyList<TextFamily> expected, IReadOnlyList<TextFamily> actual)
    {
        var differences = new List<string>();
        var expectedByName = expected.ToDictionary(f => f.Name, StringComparer.Ordinal);
        var actualByName = actual.ToDictionary(f => f.Name, StringComparer.Ordinal);
        var names = expectedByName.Keys.Union(actualByName.Keys).Order(StringComparer.Ordinal);
        foreach (var name in names)
        {
            expectedByName.TryGetValue(name, out var want);
            actualByName.TryGetValue(name, out var got);
            if (got is { Samples.Count: 0 })
            {
                got = null; // not exposed, so not there
            }
            if (want is null && got is null)
            {
                continue;
            }
            if (got is null)
            {
                differences.Add(want!.Samples.Count == 0
                    ? $"family {name} is declared in the expected text (line {want.Line}) without samples; a family without series is never exposed"
                    : $"missing family {name} ({want.Type}, {SeriesCount(want)}); expected:" + List(want.Samples));
            }
            else if (want is null)
            {
                differences.Add($"unexpected family {name} ({got.Type}, {SeriesCount(got)}); collected:" + List(got.Samples));
            }
            else
            {
                CompareFamily(want, got, differences);
            }
        }
        return differences;
    }

    private static void CompareFamily(TextFamily want, TextFamily got, List<string> differences)
    {
        if (want.Help != got.Help)
        {
            differences.Add($"family {got.Name}: HELP expected {Quote(want.Help)}, got {Quote(got.Help)}");
        }
        if (want.Type != got.Type)
        {
            differences.Add($"family {got.Name}: TYPE expected {want.Type}, got {got.Type}");
        }

        var wantSeries = want.Series().ToDictionary(s => s.Labels, s => s.Samples, StringComparer.Ordinal);
        var gotSeries = got.Series().ToDictionary(s => s.Labels, s => s.Samples, StringComparer.Ordinal);
        foreach (var labels in wantSeries.Keys.Union(gotSeries.Keys).Order(StringComparer.Ordinal))
        {
            var series = got.Name + labels;
            var hasWant = wantSeries.TryGetValue(labels, out var wantSamples);
            var hasGot = gotSeries.TryGetValue(labels, out var gotSamples);
            if (!hasGot)
            {
                differences.Add($"missing series {series}; expected:" + List(wantSamples!));
            }
            else if (!hasWant)
            {
                differences.Add($"unexpected series {series}; collected:" + List(gotSamples!));
            }
            else
            {
                CompareSeries(series, got.Name, wantSamples!, gotSamples!, differences);
            }
        }
    }

    private static void CompareSeries(string series, string familyName, List<TextSample> want, List<TextSample> got, List<string> differences)
    {
        var gotByKey = got.ToDictionary(s => s.Key, StringComparer.Ordinal);
        var wantKeys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var w in want)
        {
            wantKeys.Add(w.Key);
            if (!gotByKey.TryGetValue(w.Key, out var g))
            {
                differences.Add($"series {series}: missing sample {w}");
                continue;
            }
            // A counter's or gauge's only sample is "the value"; a histogram's or summary's are named by what sets them apart.
            var what = w.Name == familyName && w.BucketLabel is null ? "value" : w.Name + BucketPart(w);
            if (!w.Value.Equals(g.Value)) // Equals: NaN matches NaN
            {
                differences.Add($"series {series}: {what} expected {TextSample.FormatValue(w.Value)}, got {TextSample.FormatValue(g.Value)}");
            }
            if (w.TimestampMs != g.TimestampMs)
            {
                differences.Add($"series {series}: {what} timestamp expected {w.TimestampMs?.ToString() ?? "none"}, got {g.TimestampMs?.ToString() ?? "none"}");
            }
        }
        foreach (var g in got)
        {
            if (!wantKeys.Contains(g.Key))
            {
                differences.Add($"series {series}: unexpected sample {g}");
            }
        }
    }

    private static string BucketPart(TextSample sample)
    {
        if (sample.BucketLabel is null)
        {
            return "";
        }
        foreach (var pair in sample.Labels)
        {
            if (pair.Name == sample.BucketLabel)
            {
                return TextSample.Render([pair], except: null);
            }
        }
        return "";
    }

    private static string SeriesCount(TextFamily family) => $"{family.Series().Count} series";

    private static string List(List<TextSample> samples)
    {
        var lines = string.Concat(samples.Take(MaxListedSamples).Select(s => "\n    " + s));
        return samples.Count > MaxListedSamples ? lines + $"\n    … and {samples.Count - MaxListedSamples} more samples" : lines;
    }

    private static string Quote(string help) => "\"" + help.Replace("\\", "\\\\").Replace("\n", "\\n").Replace("\"", "\\\"") + "\"";
}
