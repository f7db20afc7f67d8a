namespace Instrumentation.Scraping;

/// <summary>
/// What a <see cref="ScrapeHandler"/> reads from an HTTP request: its method, the two negotiation headers and the query
/// string. A host adapter fills it from its own request type.
/// </summary>
/// <param name="Method">The HTTP method (<c>GET</c>, <c>HEAD</c>, ...).</param>
/// <param name="Accept">The <c>Accept</c> header, or null.</param>
/// <param name="AcceptEncoding">The <c>Accept-Encoding</c> header, or null.</param>
/// <param name="Query">The query string as received, with or without its leading <c>?</c>, or null.</param>
public readonly record struct ScrapeRequest(string Method, string? Accept = null, string? AcceptEncoding = null, string? Query = null)
{
    /// <summary>
    /// The family names the scrape is limited to by <c>name[]</c> query parameters (<c>?name[]=a&amp;name[]=b</c>, as
    /// client_golang 1.24), or null when there is none. Percent-escapes and <c>+</c> are decoded.
    /// </summary>
    public HashSet<string>? NameFilter()
    {
        var query = Query.AsSpan();
        if (query.StartsWith("?"))
        {
            query = query[1..];
        }
        HashSet<string>? names = null;
        foreach (var range in query.Split('&'))
        {
            var pair = query[range];
            var equals = pair.IndexOf('=');
            var key = equals < 0 ? pair : pair[..equals];
            if (!IsNameKey(key))
            {
                continue;
            }
            names ??= new HashSet<string>(StringComparer.Ordinal);
            names.Add(equals < 0 ? "" : Decode(pair[(equals + 1)..]));
        }
        return names;
    }

    private static bool IsNameKey(ReadOnlySpan<char> key) =>
        key.SequenceEqual("name[]") || (key.Contains('%') && Decode(key) == "name[]");

    private static string Decode(ReadOnlySpan<char> component)
    {
        var text = component.ToString().Replace('+', ' ');
        return text.Contains('%') ? Uri.UnescapeDataString(text) : text;
    }
}
