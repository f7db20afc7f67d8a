namespace Instrumentation.Exposition;

/// <summary>
/// A metric name as the text formats write it: the (already escaped) characters, and whether they must be quoted
/// because they fall outside the legacy character set. Worked out once per family, then used for every sample.
/// </summary>
internal readonly ref struct MetricName
{
    /// <summary>The longest name whose bytes a format keeps on the stack (<see cref="Ascii"/>); longer ones are transcoded per sample.</summary>
    public const int MaxAsciiLength = 256;

    public MetricName(ReadOnlySpan<char> text)
    {
        Text = text;
        Quoted = !IsLegacy(text);
    }

    /// <summary>
    /// Also keeps the name's bytes in <paramref name="asciiBuffer"/> when it is legacy (ASCII only) and fits, so that
    /// every sample line copies them instead of transcoding the characters again.
    /// </summary>
    public MetricName(ReadOnlySpan<char> text, Span<byte> asciiBuffer)
        : this(text)
    {
        if (!Quoted && text.Length <= asciiBuffer.Length && System.Text.Ascii.FromUtf16(text, asciiBuffer, out var written) == System.Buffers.OperationStatus.Done)
        {
            Ascii = asciiBuffer[..written];
        }
    }

    private MetricName(ReadOnlySpan<char> text, bool quoted, ReadOnlySpan<byte> ascii)
    {
        Text = text;
        Quoted = quoted;
        Ascii = ascii;
    }

    public ReadOnlySpan<char> Text { get; }

    public bool Quoted { get; }

    /// <summary>The name's bytes when it is unquoted and they were kept (see the constructor); otherwise empty.</summary>
    public ReadOnlySpan<byte> Ascii { get; }

    /// <summary>The name without its last <paramref name="suffixLength"/> characters (a type suffix such as <c>_total</c>).</summary>
    public MetricName WithoutSuffix(int suffixLength) =>
        Ascii.IsEmpty ? new(Text[..^suffixLength]) : new(Text[..^suffixLength], Quoted, Ascii[..^suffixLength]);

    public bool EndsWith(ReadOnlySpan<char> suffix) => Text.EndsWith(suffix, StringComparison.Ordinal);

    /// <summary>
    /// What an info family's sample name adds to this (escaped) family name: <c>_info</c>, unless the name already
    /// ends in it. Every format names the sample <c>&lt;base&gt;_info</c>, so <c>build</c> and <c>build_info</c> both
    /// give <c>build_info</c>, never <c>build_info_info</c>.
    /// </summary>
    public static ReadOnlySpan<byte> InfoSuffixOf(string escapedName) =>
        escapedName.EndsWith(InfoSuffixText, StringComparison.Ordinal) ? default : "_info"u8;

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
