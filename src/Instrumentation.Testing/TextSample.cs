using System.Text;

namespace Instrumentation.Testing;

/// <summary>
/// One sample line of the text exposition format, read into a form where equal samples compare equal however they
/// were written: labels sorted by name, <c>le</c> and <c>quantile</c> values re-laid out as the exposition writes them.
/// </summary>
internal sealed class TextSample
{
    public TextSample(string name, LabelPair[] labels, double value, long? timestampMs, int line, string? bucketLabel)
    {
        Name = name;
        Labels = labels;
        Value = value;
        TimestampMs = timestampMs;
        Line = line;
        BucketLabel = bucketLabel;
        Key = name + Render(labels, except: null);
        SeriesLabels = Render(labels, except: bucketLabel);
    }

    /// <summary>The sample name as written (<c>x_bucket</c>, <c>x_sum</c>, …).</summary>
    public string Name { get; }

    /// <summary>The labels, sorted by name.</summary>
    public LabelPair[] Labels { get; }

    public double Value { get; }

    public long? TimestampMs { get; }

    /// <summary>The line it was read from (1-based).</summary>
    public int Line { get; }

    /// <summary><c>le</c> for a histogram bucket, <c>quantile</c> for a summary quantile, otherwise null.</summary>
    public string? BucketLabel { get; }

    /// <summary>Name and all labels: what identifies the sample within its family.</summary>
    public string Key { get; }

    /// <summary>
    /// The labels without <see cref="BucketLabel"/>: what the samples of one histogram or summary series (buckets or
    /// quantiles, <c>_sum</c>, <c>_count</c>) share.
    /// </summary>
    public string SeriesLabels { get; }

    /// <summary>The sample as a line of the text format, <c>le</c> or <c>quantile</c> last as the writer puts it.</summary>
    public override string ToString()
    {
        var labels = BucketLabel is null ? Render(Labels, except: null) : Render([.. Labels.Where(p => p.Name != BucketLabel), .. Labels.Where(p => p.Name == BucketLabel)], except: null);
        return Name + labels + " " + FormatValue(Value) + (TimestampMs is { } t ? " " + t : "");
    }

    /// <summary>Lays a value out as the text format writes it (<c>1</c>, <c>0.5</c>, <c>1e+06</c>, <c>+Inf</c>).</summary>
    public static string FormatValue(double value)
    {
        Span<byte> buffer = stackalloc byte[Exposition.GoFloat.MaxLength];
        var length = Exposition.GoFloat.Format(value, buffer);
        return Encoding.ASCII.GetString(buffer[..length]);
    }

    /// <summary><c>{a="1",b="2"}</c> (empty when there are no labels), values escaped as the text format escapes them.</summary>
    public static string Render(IReadOnlyList<LabelPair> labels, string? except)
    {
        var builder = new StringBuilder();
        foreach (var pair in labels)
        {
            if (pair.Name == except)
            {
                continue;
            }
            builder.Append(builder.Length == 0 ? '{' : ',');
            builder.Append(pair.Name).Append("=\"");
            foreach (var c in pair.Value)
            {
                builder.Append(c switch
                {
                    '\\' => "\\\\",
                    '"' => "\\\"",
                    '\n' => "\\n",
                    _ => c.ToString(),
                });
            }
            builder.Append('"');
        }
        return builder.Length == 0 ? "" : builder.Append('}').ToString();
    }
}
