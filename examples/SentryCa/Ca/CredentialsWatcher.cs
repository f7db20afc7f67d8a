using Microsoft.Extensions.Options;

namespace SentryCa.Ca;

/// <summary>
/// Watches the credentials directory and has the <see cref="IssuerStore"/> reload when it changes: on file-system
/// notifications, once the directory has been quiet for the debounce time (a rotation writes several files), and on a
/// polling interval as a fallback where notifications do not arrive.
/// </summary>
public sealed class CredentialsWatcher(IssuerStore store, IOptions<SentryOptions> options, ILogger<CredentialsWatcher> logger)
    : BackgroundService
{
    private readonly SemaphoreSlim _signal = new(0);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var debounce = TimeSpan.FromMilliseconds(Math.Max(0, options.Value.ReloadDebounceMilliseconds));
        var poll = TimeSpan.FromMilliseconds(Math.Max(10, options.Value.PollIntervalMilliseconds));
        using var watcher = TryWatch();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await _signal.WaitAsync(poll, stoppingToken))
                {
                    // Wait until no further event arrives for the debounce time.
                    while (await _signal.WaitAsync(debounce, stoppingToken))
                    {
                    }
                }
                store.ReloadIfChanged();
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogError(e, "Checking the credentials directory failed");
            }
        }
    }

    private FileSystemWatcher? TryWatch()
    {
        try
        {
            var watcher = new FileSystemWatcher(store.Files.Directory)
            {
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
            };
            FileSystemEventHandler onChange = (_, _) => _signal.Release();
            watcher.Changed += onChange;
            watcher.Created += onChange;
            watcher.Deleted += onChange;
            watcher.Renamed += (_, _) => _signal.Release();
            watcher.EnableRaisingEvents = true;
            return watcher;
        }
        catch (Exception e) when (e is IOException or ArgumentException or PlatformNotSupportedException)
        {
            // inotify instance limits, say: polling still notices every change, only later.
            logger.LogWarning("Not watching {Directory} for changes ({Error}); polling every {Poll} ms instead",
                store.Files.Directory, e.Message, options.Value.PollIntervalMilliseconds);
            return null;
        }
    }
}
