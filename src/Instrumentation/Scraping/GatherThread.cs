namespace Instrumentation.Scraping;

/// <summary>
/// Runs a handler's gathers, one at a time, on a dedicated background thread — never on a thread-pool worker, so a
/// collector that blocks cannot starve the pool the application serves requests with. The thread is kept while
/// gathers keep coming and ends after an idle spell (a later gather starts a new one).
/// </summary>
internal sealed class GatherThread
{
    private static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(30);
    private readonly object _lock = new();
    private Action? _pending;
    private bool _running;

    /// <summary>Queues <paramref name="gather"/>; the caller guarantees that at most one is queued or running at a time.</summary>
    public void Run(Action gather)
    {
        lock (_lock)
        {
            _pending = gather;
            if (_running)
            {
                Monitor.Pulse(_lock);
                return;
            }
            _running = true;
        }
        var thread = new Thread(Loop) { IsBackground = true, Name = "Metrics gather" };
        thread.Start();
    }

    private void Loop()
    {
        while (true)
        {
            Action gather;
            lock (_lock)
            {
                while (_pending is null)
                {
                    if (!Monitor.Wait(_lock, IdleTimeout) && _pending is null)
                    {
                        _running = false;
                        return;
                    }
                }
                gather = _pending;
                _pending = null;
            }
            gather();
        }
    }
}
