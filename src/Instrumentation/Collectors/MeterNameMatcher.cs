namespace Instrumentation.Collectors;

/// <summary>Matches meter names against the configured names and <c>*</c> wildcards, ignoring case.</summary>
internal sealed class MeterNameMatcher
{
    private readonly HashSet<string> _exact = new(StringComparer.OrdinalIgnoreCase);
    private readonly string[] _patterns;

    public MeterNameMatcher(IEnumerable<string> names)
    {
        var patterns = new List<string>();
        foreach (var name in names)
        {
            if (string.IsNullOrWhiteSpace(name))
            {
                throw new ArgumentException("A meter name to bridge is null or empty.", nameof(names));
            }
            if (name.Contains('*'))
            {
                patterns.Add(name);
            }
            else
            {
                _exact.Add(name);
            }
        }
        _patterns = [.. patterns];
    }

    public bool Matches(string meterName)
    {
        if (_exact.Contains(meterName))
        {
            return true;
        }
        foreach (var pattern in _patterns)
        {
            if (Glob(pattern, meterName))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Whether <paramref name="text"/> matches <paramref name="pattern"/>, where <c>*</c> matches any run of characters.</summary>
    internal static bool Glob(ReadOnlySpan<char> pattern, ReadOnlySpan<char> text)
    {
        // Greedy matching with backtracking to the last star: linear for the patterns people write.
        int p = 0, t = 0, star = -1, resume = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                resume = t;
            }
            else if (p < pattern.Length && char.ToUpperInvariant(pattern[p]) == char.ToUpperInvariant(text[t]))
            {
                p++;
                t++;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++resume;
            }
            else
            {
                return false;
            }
        }
        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }
        return p == pattern.Length;
    }
}
