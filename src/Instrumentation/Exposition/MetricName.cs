namespace Instrumentation.Exposition;

/// <summary>
/// A metric name as the text formats write it: the (already escaped) characters, and whether they must be quoted
/// because they fall outside the legacy character set. Worked out once per family, then used for every sample.
/// </summary>
internal readonly ref struct MetricName
{
    public MetricName(ReadOnlySpan<char> text)
    {
        Text = text;
        Quoted = !IsLegacy(text);
    }

    public ReadOnlySpan<char> Text { get; }

    public bool Quoted { get; }

    /// <summary>The name without its last <paramref name="suffixLength"/> characters (a type suffix such as <c>_total</c>).</summary>
    public MetricName WithoutSuffix(int suffixLength) => new(Text[..^suffixLength]);

    public bool EndsWith(ReadOnlySpan<char> suffix) => Text.EndsWith(suffix, StringComparison.Ordinal);

    /// <summary>
    /// What an info family's sample name adds to this (escaped) family name: <c>_info</c>, unless the name already
    /// ends in it. Every format names the sample <c>&lt;base&gt;_info</c>, so <c>build</c> and <c>build_info</c> both
    /// give <c>build_info</c>, never <c>build_info_info</c>.
    /// </summary>
    public ReadOnlySpan<byte> InfoSuffix => EndsWith(InfoSuffixText) ? default : "_info"u8;

    /// <summary>The suffix of an info family's sample name.</summary>
    public const string InfoSuffixText = "_info";

    /// <summary><c>^[a-zA-Z_:][a-zA-Z0-9_:]*$</c>, over a span.</summary>
    private static bool IsLegacy(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty)
        {
            return false;
        }
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (!(char.IsAsciiLetter(c) || c == '_' || c == ':' || (i > 0 && char.IsAsciiDigit(c))))
            {
                return false;
            }
        }
        return true;
    }
}
