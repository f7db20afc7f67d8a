using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SentryCa.Ca;

namespace SentryCa.Hosting;

/// <summary>Registers the CA's services.</summary>
public static class SentryCaServiceCollectionExtensions
{
    /// <summary>
    /// Adds the issuer store, its watcher, the CSR signer, the server certificate provider and its renewal, bound to the
    /// <c>Sentry</c> configuration section. (The optional Pushgateway pusher is the library's <c>AddMetricsPusher()</c>.)
    /// </summary>
    public static IServiceCollection AddSentryCa(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SentryOptions>()
            .Bind(configuration.GetSection(SentryOptions.SectionName))
            .Validate(o => !string.IsNullOrWhiteSpace(o.CredentialsDirectory), "Sentry:CredentialsDirectory must not be empty.")
            .Validate(o => SpiffeId.TryParse($"spiffe://{o.TrustDomain}/ns/a/b", out _), "Sentry:TrustDomain is not a valid SPIFFE trust domain (lower-case letters, digits, '.', '-', '_').")
            .Validate(o => o.MaxTtlSeconds > 0, "Sentry:MaxTtlSeconds must be positive.")
            .Validate(o => o.ServerCertTtlSeconds > 0, "Sentry:ServerCertTtlSeconds must be positive.")
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IssuerStore>();
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<SentryOptions>>().Value;
            return new CsrSigner(options.TrustDomain, TimeSpan.FromSeconds(options.MaxTtlSeconds), sp.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton<ServerCertificateProvider>();
        services.AddHostedService<CredentialsWatcher>();
        services.AddHostedService<ServerCertificateRenewal>();
        return services;
    }
}
