namespace Instrumentation.Scraping;

/// <summary>What a scrape does when gathering reports problems (a collector threw, series clash).</summary>
public enum ScrapeErrorHandling
{
    /// <summary>Serve every family that gathered cleanly with <c>200</c>, and report the problems.</summary>
    ContinueOnError,

    /// <summary>Answer <c>500 Internal Server Error</c> with the problems as plain text, and report them.</summary>
    FailOnError,
}
