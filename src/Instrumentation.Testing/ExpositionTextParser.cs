using System.Globalization;
using System.Text;

namespace Instrumentation.Testing;

/// <summary>
/// Reads the Prometheus text exposition format (0.0.4) into <see cref="TextFamily"/> objects, leniently about layout
/// (blank lines, indentation, spacing, label order, <c>1</c> vs <c>1.0</c>) and strictly about content, so that an
/// expected text written by hand and the text our writer produces can be compared family by family.
/// </summary>
/// <remarks>
/// Samples join the family whose name they carry; <c>x_bucket</c>, <c>x_sum</c> and <c>x_count</c> join a family
/// <c>x</c> declared as a histogram (<c>x_sum</c>, <c>x_count</c> also a summary). A sample of an undeclared family makes
/// an untyped family of its own name, as in the reference parser.
/// </remarks>
internal static class ExpositionTextParser
{
    /// <summary>Parses <paramref name="text"/>; <paramref name="source"/> names it in error messages ("expected text").</summary>
    /// <exception cref="FormatException">A line is not valid text format; the message names the line number and its content.</exception>
    public static List<TextFamily> Parse(string text, string source)
    {
        var families = new List<TextFamily>();
        var byName = new Dictionary<string, TextFamily>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var rawLine in text.Split('\n'))
        {
            lineNumber++;
            var line = rawLine.Trim(' ', '\t', '\r');
            if (line.Length == 0)
            {
                continue;
            }
            var reader = new LineReader(line, lineNumber, source);
            if (line[0] == '#')
            {
                ParseComment(ref reader, families, byName);
            }
            else
            {
                ParseSample(ref reader, families, byName);
            }
        }
        return families;
    }

    private static void ParseComment(ref LineReader reader, List<TextFamily> families, Dictionary<string, TextFamily> byName)
    {
        reader.Skip(1);
        reader.SkipBlanks();
        var keyword = reader.ReadWhile(static c => !IsBlank(c));
        if (keyword is not ("HELP" or "TYPE"))
        {
            return; // any other comment is allowed and means nothing
        }
        if (!reader.SkipBlanks())
        {
            throw reader.Error($"# {keyword} needs a metric name");
        }
        var name = reader.ReadMetricName() ?? throw reader.Error($"# {keyword} needs a valid metric name");
        if (!reader.AtEnd && !reader.SkipBlanks())
        {
            throw reader.Error($"invalid character '{reader.Peek}' in metric name");
        }
        var family = GetOrAdd(families, byName, name, reader.LineNumber);
        if (keyword == "HELP")
        {
            if (family.HelpDeclared)
            {
                throw reader.Error($"second # HELP line for {name}");
            }
            family.HelpDeclared = true;
            family.Help = UnescapeHelp(reader.Rest());
            return;
        }

        var type = reader.ReadWhile(static c => !IsBlank(c)).ToLowerInvariant();
        if (type is not ("counter" or "gauge" or "histogram" or "summary" or "untyped"))
        {
            throw reader.Error(type.Length == 0
                ? $"# TYPE {name} needs a type"
                : $"unknown type \"{type}\" (the text format knows counter, gauge, histogram, summary and untyped)");
        }
        reader.SkipBlanks();
        if (!reader.AtEnd)
        {
            throw reader.Error($"unexpected text after the type: \"{reader.Rest()}\"");
        }
        if (family.TypeDeclared)
        {
            throw reader.Error($"second # TYPE line for {name}");
        }
        if (family.Samples.Count > 0)
        {
            throw reader.Error($"# TYPE line for {name} comes after its samples (line {family.Samples[0].Line})");
        }
        family.TypeDeclared = true;
        family.Type = type;
    }

    private static void ParseSample(ref LineReader reader, List<TextFamily> families, Dictionary<string, TextFamily> byName)
    {
        var name = reader.ReadMetricName() ?? throw reader.Error("a sample line must start with a metric name");
        var labels = new List<LabelPair>();
        reader.SkipBlanks();
        if (!reader.AtEnd && reader.Peek == '{')
        {
            reader.Skip(1);
            ReadLabels(ref reader, name, labels);
        }
        reader.SkipBlanks();
        var valueText = reader.ReadWhile(static c => !IsBlank(c));
        if (valueText.Length == 0)
        {
            throw reader.Error($"sample {name} has no value");
        }
        if (!TryParseFloat(valueText, out var value))
        {
            throw reader.Error($"\"{valueText}\" is not a valid sample value");
        }
        long? timestamp = null;
        reader.SkipBlanks();
        if (!reader.AtEnd)
        {
            var timestampText = reader.ReadWhile(static c => !IsBlank(c));
            if (!long.TryParse(timestampText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var ms))
            {
                throw reader.Error($"\"{timestampText}\" is not a valid timestamp (an integer number of milliseconds)");
            }
            timestamp = ms;
            reader.SkipBlanks();
            if (!reader.AtEnd)
            {
                throw reader.Error($"unexpected text after the timestamp: \"{reader.Rest()}\"");
            }
        }

        var family = FamilyOf(name, families, byName, reader.LineNumber);
        var bucketLabel = BucketLabelOf(family, name);
        if (bucketLabel is not null)
        {
            NormalizeBucketLabel(ref reader, name, labels, bucketLabel);
        }
        labels.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        var sample = new TextSample(name, [.. labels], value, timestamp, reader.LineNumber, bucketLabel);
        foreach (var other in family.Samples)
        {
            if (other.Key == sample.Key)
            {
                throw reader.Error($"duplicate sample {sample.Key} (first on line {other.Line})");
            }
        }
        family.Samples.Add(sample);
    }

    private static void ReadLabels(ref LineReader reader, string metricName, List<LabelPair> labels)
    {
        while (true)
        {
            reader.SkipBlanks();
            if (reader.AtEnd)
            {
                throw reader.Error($"the labels of {metricName} are not closed with '}}'");
            }
            if (reader.Peek == '}')
            {
                reader.Skip(1);
                return;
            }
            var labelName = reader.ReadWhile(static c => char.IsAsciiLetterOrDigit(c) || c == '_');
            if (labelName.Length == 0 || char.IsAsciiDigit(labelName[0]))
            {
                throw reader.Error($"invalid label name in the labels of {metricName}");
            }
            reader.SkipBlanks();
            if (reader.AtEnd || reader.Peek != '=')
            {
                throw reader.Error($"label {labelName} of {metricName} needs '=' and a quoted value");
            }
            reader.Skip(1);
            reader.SkipBlanks();
            if (reader.AtEnd || reader.Peek != '"')
            {
                throw reader.Error($"the value of label {labelName} of {metricName} must be in double quotes");
            }
            reader.Skip(1);
            var labelValue = reader.ReadQuoted(labelName);
            foreach (var existing in labels)
            {
                if (existing.Name == labelName)
                {
                    throw reader.Error($"label {labelName} appears twice in the labels of {metricName}");
                }
            }
            labels.Add(new LabelPair(labelName, labelValue));
            reader.SkipBlanks();
            if (reader.AtEnd)
            {
                throw reader.Error($"the labels of {metricName} are not closed with '}}'");
            }
            if (reader.Peek == ',')
            {
                reader.Skip(1);
            }
            else if (reader.Peek != '}')
            {
                throw reader.Error($"expected ',' or '}}' after label {labelName} of {metricName}");
            }
        }
    }

    /// <summary>The family a sample belongs to: the one of its exact name, else the histogram or summary it is a part of, else a new untyped one.</summary>
    private static TextFamily FamilyOf(string sampleName, List<TextFamily> families, Dictionary<string, TextFamily> byName, int line)
    {
        if (byName.TryGetValue(sampleName, out var exact))
        {
            return exact;
        }
        foreach (var (suffix, histogramOnly) in Suffixes)
        {
            if (sampleName.EndsWith(suffix, StringComparison.Ordinal)
                && byName.TryGetValue(sampleName[..^suffix.Length], out var parent)
                && (parent.Type == "histogram" || (!histogramOnly && parent.Type == "summary")))
            {
                return parent;
            }
        }
        return GetOrAdd(families, byName, sampleName, line);
    }

    private static readonly (string Suffix, bool HistogramOnly)[] Suffixes = [("_bucket", true), ("_sum", false), ("_count", false)];

    private static string? BucketLabelOf(TextFamily family, string sampleName) => family.Type switch
    {
        "histogram" when sampleName == family.Name + "_bucket" => "le",
        "summary" when sampleName == family.Name => "quantile",
        _ => null,
    };

    /// <summary>Re-lays out <c>le</c> or <c>quantile</c> the way the writer does, so that <c>le="1.0"</c> matches <c>le="1"</c>.</summary>
    private static void NormalizeBucketLabel(ref LineReader reader, string sampleName, List<LabelPair> labels, string bucketLabel)
    {
        for (var i = 0; i < labels.Count; i++)
        {
            if (labels[i].Name != bucketLabel)
            {
                continue;
            }
            if (!TryParseFloat(labels[i].Value, out var bound))
            {
                throw reader.Error($"{bucketLabel}=\"{labels[i].Value}\" of {sampleName} is not a number");
            }
            labels[i] = new LabelPair(bucketLabel, TextSample.FormatValue(bound));
            return;
        }
        throw reader.Error($"{sampleName} needs a {bucketLabel} label");
    }

    private static TextFamily GetOrAdd(List<TextFamily> families, Dictionary<string, TextFamily> byName, string name, int line)
    {
        if (!byName.TryGetValue(name, out var family))
        {
            family = new TextFamily(name, line);
            byName.Add(name, family);
            families.Add(family);
        }
        return family;
    }

    /// <summary>Parses a float the way Go's <c>strconv.ParseFloat</c> reads the text format's values (<c>+Inf</c>, <c>NaN</c>, <c>1e3</c>).</summary>
    internal static bool TryParseFloat(string text, out double value)
    {
        var unsigned = text.Length > 0 && text[0] is '+' or '-' ? text[1..] : text;
        if (unsigned.Equals("inf", StringComparison.OrdinalIgnoreCase) || unsigned.Equals("infinity", StringComparison.OrdinalIgnoreCase))
        {
            value = text[0] == '-' ? double.NegativeInfinity : double.PositiveInfinity;
            return true;
        }
        if (unsigned.Equals("nan", StringComparison.OrdinalIgnoreCase))
        {
            value = double.NaN;
            return true;
        }
        if (text.Length == 0 || char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[^1]))
        {
            value = 0;
            return false;
        }
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    private static string UnescapeHelp(string help)
    {
        if (!help.Contains('\\'))
        {
            return help;
        }
        var builder = new StringBuilder(help.Length);
        for (var i = 0; i < help.Length; i++)
        {
            if (help[i] == '\\' && i + 1 < help.Length && help[i + 1] is '\\' or 'n')
            {
                builder.Append(help[++i] == 'n' ? '\n' : '\\');
            }
            else
            {
                builder.Append(help[i]); // other backslashes are literal in HELP, as in the reference parser
            }
        }
        return builder.ToString();
    }

    private static bool IsBlank(char c) => c is ' ' or '\t';

    /// <summary>A cursor over one (trimmed) line.</summary>
    private ref struct LineReader(string line, int lineNumber, string source)
    {
        private int _position;

        public readonly int LineNumber => lineNumber;

        public readonly bool AtEnd => _position >= line.Length;

        public readonly char Peek => line[_position];

        public void Skip(int count) => _position += count;

        /// <summary>Skips spaces and tabs; true if there was at least one.</summary>
        public bool SkipBlanks()
        {
            var start = _position;
            while (!AtEnd && IsBlank(line[_position]))
            {
                _position++;
            }
            return _position > start;
        }

        public string ReadWhile(Func<char, bool> predicate)
        {
            var start = _position;
            while (!AtEnd && predicate(line[_position]))
            {
                _position++;
            }
            return line[start.._position];
        }

        /// <summary>Reads <c>[a-zA-Z_:][a-zA-Z0-9_:]*</c>; null when the line does not start with one.</summary>
        public string? ReadMetricName()
        {
            if (AtEnd || !(char.IsAsciiLetter(Peek) || Peek is '_' or ':'))
            {
                return null;
            }
            return ReadWhile(static c => char.IsAsciiLetterOrDigit(c) || c is '_' or ':');
        }

        /// <summary>Reads a label value after its opening quote, through the closing quote, resolving <c>\\</c>, <c>\"</c> and <c>\n</c>.</summary>
        public string ReadQuoted(string labelName)
        {
            var builder = new StringBuilder();
            while (!AtEnd)
            {
                var c = line[_position++];
                if (c == '"')
                {
                    return builder.ToString();
                }
                if (c != '\\')
                {
                    builder.Append(c);
                    continue;
                }
                if (AtEnd)
                {
                    break;
                }
                var escaped = line[_position++];
                builder.Append(escaped switch
                {
                    '\\' => '\\',
                    '"' => '"',
                    'n' => '\n',
                    _ => throw Error($"invalid escape \\{escaped} in the value of label {labelName} (only \\\\, \\\" and \\n are allowed)"),
                });
            }
            throw Error($"the value of label {labelName} has no closing quote");
        }

        public string Rest()
        {
            var rest = line[_position..];
            _position = line.Length;
            return rest;
        }

        public readonly FormatException Error(string problem) =>
            new($"{char.ToUpperInvariant(source[0])}{source[1..]}, line {lineNumber}: {problem}: \"{line}\"");
    }
}
