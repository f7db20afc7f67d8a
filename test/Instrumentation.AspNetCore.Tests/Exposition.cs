using System.Globalization;

namespace Instrumentation.AspNetCore.Tests;

/// <summary>One sample line of a text exposition.</summary>
internal sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value)
{
    public bool Has(params (string Name, string Value)[] labels) =>
        labels.All(l => Labels.TryGetValue(l.Name, out var v) && v == l.Value);
}

/// <summary>Reads the samples of a Prometheus or OpenMetrics text exposition (enough for assertions, not a full parser).</summary>
internal static class Exposition
{
    /// <summary>The families in the Prometheus text format.</summary>
    public static string Text(IReadOnlyList<MetricFamily> families)
    {
        using var stream = new MemoryStream();
        Instrumentation.Exposition.TextFormat.Write(stream, families);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    public static IReadOnlyList<Sample> Parse(string text)
    {
        var samples = new List<Sample>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            var i = 0;
            while (i < line.Length && line[i] != '{' && line[i] != ' ')
            {
                i++;
            }
            var name = line[..i];
            if (i < line.Length && line[i] == '{')
            {
                i++;
                while (line[i] != '}')
                {
                    var eq = line.IndexOf('=', i);
                    var labelName = line[i..eq];
                    var sb = new System.Text.StringBuilder();
                    var j = eq + 2;
                    while (line[j] != '"')
                    {
                        if (line[j] == '\\')
                        {
                            j++;
                            sb.Append(line[j] == 'n' ? '\n' : line[j]);
                        }
                        else
                        {
                            sb.Append(line[j]);
                        }
                        j++;
                    }
                    labels[labelName] = sb.ToString();
                    i = j + 1;
                    if (line[i] == ',')
                    {
                        i++;
                    }
                }
                i++;
            }
            var valueText = line[(i + 1)..].Split(' ')[0];
            var value = valueText switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                "NaN" => double.NaN,
                _ => double.Parse(valueText, CultureInfo.InvariantCulture),
            };
            samples.Add(new Sample(name, labels, value));
        }
        return samples;
    }

    public static IEnumerable<Sample> Named(this IEnumerable<Sample> samples, string name) => samples.Where(s => s.Name == name);

    /// <summary>The value of the one sample named <paramref name="name"/> that has <paramref name="labels"/>.</summary>
    public static double Value(this IEnumerable<Sample> samples, string name, params (string Name, string Value)[] labels)
    {
        var matching = samples.Where(s => s.Name == name && s.Has(labels)).ToList();
        Assert.True(matching.Count == 1, $"Expected one sample {name} with {string.Join(",", labels)}, found {matching.Count}.");
        return matching[0].Value;
    }
}
