namespace Instrumentation;

/// <summary>
/// Orders strings by Unicode code point, which is the order of their UTF-8 bytes and the order the reference Go
/// client sorts names, label pairs and series in.
/// </summary>
/// <remarks>
/// An ordinal (UTF-16 code unit) comparison agrees with code point order except where the first difference is a
/// surrogate (U+D800–U+DFFF, half of a character above U+FFFF) against a code unit in U+E000–U+FFFF: as code points
/// the astral character is the larger, as code units the surrogate is. Only that case is fixed up, so the comparison
/// costs what <see cref="string.CompareOrdinal(string, string)"/> does.
/// </remarks>
internal sealed class CodePointOrder : IComparer<string>
{
    /// <summary>The comparer, for APIs that take an <see cref="IComparer{T}"/>.</summary>
    public static readonly CodePointOrder Instance = new();

    private CodePointOrder()
    {
    }

    /// <summary>Compares <paramref name="a"/> and <paramref name="b"/> by code point; null sorts first.</summary>
    public static int Compare(string? a, string? b)
    {
        if (ReferenceEquals(a, b))
        {
            return 0;
        }
        if (a is null)
        {
            return -1;
        }
        if (b is null)
        {
            return 1;
        }
        var x = a.AsSpan();
        var y = b.AsSpan();
        var common = x.CommonPrefixLength(y);
        if (common == x.Length || common == y.Length)
        {
            return x.Length - y.Length;
        }
        int cx = x[common];
        int cy = y[common];
        if (cx >= 0xD800 && cy >= 0xD800)
        {
            // Both in the top range: move the surrogates above U+E000–U+FFFF, as their code points are.
            cx = cx < 0xE000 ? cx + 0x2000 : cx - 0x800;
            cy = cy < 0xE000 ? cy + 0x2000 : cy - 0x800;
        }
        return cx - cy;
    }

    int IComparer<string>.Compare(string? x, string? y) => Compare(x, y);
}
