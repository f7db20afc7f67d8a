namespace Instrumentation.Testing;

/// <summary>One metric family read from the text exposition format: its HELP, TYPE and samples.</summary>
internal sealed class TextFamily(string name, int line)
{
    /// <summary>The family name, as in its <c># TYPE</c> line (or the sample name of an undeclared family).</summary>
    public string Name { get; } = name;

    /// <summary>The line that first mentioned the family (1-based).</summary>
    public int Line { get; } = line;

    /// <summary>The help text; empty when there is no <c># HELP</c> line, as in the reference client's parser.</summary>
    public string Help { get; set; } = "";

    public bool HelpDeclared { get; set; }

    /// <summary><c>counter</c>, <c>gauge</c>, <c>histogram</c>, <c>summary</c> or <c>untyped</c> (the default).</summary>
    public string Type { get; set; } = "untyped";

    public bool TypeDeclared { get; set; }

    public List<TextSample> Samples { get; } = [];

    /// <summary>Series in first-seen order, each with its samples: one sample for counters and gauges, several for histograms and summaries.</summary>
    public List<(string Labels, List<TextSample> Samples)> Series()
    {
        var series = new List<(string, List<TextSample>)>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var sample in Samples)
        {
            if (!index.TryGetValue(sample.SeriesLabels, out var i))
            {
                i = series.Count;
                index.Add(sample.SeriesLabels, i);
                series.Add((sample.SeriesLabels, []));
            }
            series[i].Item2.Add(sample);
        }
        return series;
    }
}
