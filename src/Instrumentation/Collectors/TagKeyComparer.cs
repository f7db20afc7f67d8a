namespace Instrumentation.Collectors;

/// <summary>
/// Compares the tag lists of measurements, and hashes the span a measurement callback receives exactly as it hashes a
/// stored copy: finding the series of a known tag list allocates nothing. Order matters here (a list in another
/// order is another key that maps to the same series); values compare with <see cref="object.Equals(object?, object?)"/>.
/// </summary>
internal sealed class TagKeyComparer :
    IEqualityComparer<KeyValuePair<string, object?>[]>,
    IAlternateEqualityComparer<ReadOnlySpan<KeyValuePair<string, object?>>, KeyValuePair<string, object?>[]>
{
    public static readonly TagKeyComparer Instance = new();

    public bool Equals(KeyValuePair<string, object?>[]? x, KeyValuePair<string, object?>[]? y) =>
        x is not null && y is not null && Equals(x.AsSpan(), y);

    public int GetHashCode(KeyValuePair<string, object?>[] obj) => GetHashCode(obj.AsSpan());

    public bool Equals(ReadOnlySpan<KeyValuePair<string, object?>> alternate, KeyValuePair<string, object?>[] other)
    {
        if (alternate.Length != other.Length)
        {
            return false;
        }
        for (var i = 0; i < alternate.Length; i++)
        {
            if (!string.Equals(alternate[i].Key, other[i].Key, StringComparison.Ordinal) || !Equals(alternate[i].Value, other[i].Value))
            {
                return false;
            }
        }
        return true;
    }

    public int GetHashCode(ReadOnlySpan<KeyValuePair<string, object?>> alternate)
    {
        var hash = new HashCode();
        foreach (var tag in alternate)
        {
            hash.Add(tag.Key);
            hash.Add(tag.Value);
        }
        return hash.ToHashCode();
    }

    public KeyValuePair<string, object?>[] Create(ReadOnlySpan<KeyValuePair<string, object?>> alternate) => alternate.ToArray();
}
