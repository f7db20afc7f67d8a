namespace SentryCa.Ca;

/// <summary>
/// A workload identity of the form Dapr's Sentry issues: <c>spiffe://&lt;trust-domain&gt;/ns/&lt;namespace&gt;/&lt;app-id&gt;</c>.
/// </summary>
public sealed record SpiffeId(string TrustDomain, string Namespace, string AppId)
{
    private const string Scheme = "spiffe://";

    /// <summary>The identity as a URI string.</summary>
    public override string ToString() => $"{Scheme}{TrustDomain}/ns/{Namespace}/{AppId}";

    /// <summary>
    /// Parses <paramref name="text"/>; false when it is not exactly <c>spiffe://td/ns/ns/app</c> with a lower-case
    /// trust domain (letters, digits, <c>.-_</c>) and path segments of letters, digits and <c>.-_</c>.
    /// </summary>
    public static bool TryParse(string? text, out SpiffeId id)
    {
        id = null!;
        if (text is null || !text.StartsWith(Scheme, StringComparison.Ordinal))
        {
            return false;
        }
        var parts = text[Scheme.Length..].Split('/');
        if (parts.Length != 4 || parts[1] != "ns")
        {
            return false;
        }
        if (!IsTrustDomain(parts[0]) || !IsSegment(parts[2]) || !IsSegment(parts[3]))
        {
            return false;
        }
        id = new SpiffeId(parts[0], parts[2], parts[3]);
        return true;
    }

    private static bool IsTrustDomain(string value) =>
        value.Length > 0 && value.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '.' or '-' or '_');

    // "." and ".." are forbidden path segments in SPIFFE IDs.
    private static bool IsSegment(string value) =>
        value.Length > 0 && value != "." && value != ".." &&
        value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_');
}
