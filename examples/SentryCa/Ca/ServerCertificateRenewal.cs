namespace SentryCa.Ca;

/// <summary>
/// Issues the server certificate at start and renews it when due, so a TLS handshake rarely has to wait for issuance
/// (Kestrel's selector issues on demand as well). After a failure it retries every minute.
/// </summary>
public sealed class ServerCertificateRenewal(ServerCertificateProvider provider, TimeProvider time) : BackgroundService
{
    private static readonly TimeSpan RetryAfterFailure = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan MinimumWait = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaximumWait = TimeSpan.FromDays(1); // Task.Delay's limit is ~49 days

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            // Not yet due (it may have been renewed meanwhile because the issuer changed): sleep until it is.
            var wait = time.GetUtcNow() < provider.RenewalDue || provider.TryIssue(onlyIfDue: true)
                ? provider.RenewalDue - time.GetUtcNow()
                : RetryAfterFailure;
            try
            {
                await Task.Delay(TimeSpan.FromTicks(Math.Clamp(wait.Ticks, MinimumWait.Ticks, MaximumWait.Ticks)), time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
