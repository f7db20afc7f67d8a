namespace Instrumentation.Scraping;

/// <summary>Something a <see cref="ScrapeHandler"/> reports to its host's log.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="Message">A sentence describing it.</param>
/// <param name="Exception">The gather or encoding error, when there is one.</param>
public sealed record ScrapeProblem(ScrapeProblemKind Kind, string Message, Exception? Exception = null);

/// <summary>The kinds of <see cref="ScrapeProblem"/>; a host logs the first two as warnings and the rest as errors or warnings as it likes.</summary>
public enum ScrapeProblemKind
{
    /// <summary>Gathering reported problems; the families that gathered cleanly were served (<see cref="ScrapeErrorHandling.ContinueOnError"/>).</summary>
    GatherPartial,

    /// <summary>Gathering failed; the scrape was answered with <c>500</c>.</summary>
    GatherFailed,

    /// <summary>Encoding the gathered families failed; the scrape was answered with <c>500</c>.</summary>
    EncodingFailed,

    /// <summary>The scrape was refused with <c>503</c>: <see cref="ScrapeHandlerOptions.MaxConcurrentScrapes"/> were being served.</summary>
    TooManyScrapes,

    /// <summary>The scrape was answered with <c>503</c> at its deadline: gathering took longer than <see cref="ScrapeHandlerOptions.ScrapeTimeout"/>.</summary>
    Timeout,
}
