using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SentryCa.Ca;
using Microsoft.Extensions.DependencyInjection;
using SentryCa.Metrics;

namespace SentryCa.Tests;

public sealed class IssuerRotationTests : IDisposable
{
    private readonly SentryCaFactory _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public void First_run_creates_root_and_issuer_and_sets_the_expiry_gauge()
    {
        _ = _app.Services; // starts the host

        Assert.All(_app.Files.All, path => Assert.True(File.Exists(path), path));
        using var credentials = IssuerCredentials.Load(_app.Files);
        Assert.Equal(credentials.IssuerExpiryUnixSeconds, _app.Gauge<IssuerCertExpiry>());
    }

    [Fact]
    public async Task Replacing_the_issuer_counts_a_change_moves_the_expiry_gauge_and_signs_with_the_new_issuer()
    {
        var client = _app.CreateClient();
        var before = _app.Gauge<IssuerCertExpiry>();
        var rotated = SelfSignedCa.Create("cluster.local", TimeSpan.FromDays(60), TimeSpan.FromDays(30));

        _app.Files.Write(rotated);
        await SentryCaFactory.WaitUntilAsync(() => _app.Gauge<IssuerCertExpiry>() != before, "the expiry gauge moves");

        // At least one: a watcher may react between the three file writes, and each change it sees counts.
        Assert.True(_app.Counter<IssuerCertChanged>() >= 1);
        var expected = DateTimeOffset.UtcNow.AddDays(30).ToUnixTimeSeconds();
        Assert.InRange(_app.Gauge<IssuerCertExpiry>(), expected - 300, expected);
        var response = await client.PostAsJsonAsync("/v1/sign", new { csr = Csrs.Create(), identity = Csrs.Identity, ttlSeconds = 60 });
        var (_, others) = Csrs.SplitChain((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("certificateChain").GetString()!);
        Assert.Equal(System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(rotated.IssuerCertPem).Thumbprint,
            Assert.Single(others).Thumbprint);
    }

    [Fact]
    public async Task Broken_issuer_file_fails_server_certificate_issuance_and_counts_it()
    {
        var client = _app.CreateClient();
        var provider = _app.Services.GetRequiredService<ServerCertificateProvider>();
        Assert.NotNull(provider.GetCertificate());

        File.WriteAllText(_app.Files.IssuerCertPath, "-----BEGIN CERTIFICATE-----\ntruncated\n");
        await SentryCaFactory.WaitUntilAsync(
            () => _app.Counter<ServerCertIssueFailed>(ServerCertificateProvider.IssuerUnavailable) >= 1,
            "the server certificate failure is counted");

        Assert.Equal(1, _app.Counter<IssuerCertChanged>());
        Assert.False(provider.TryIssue());
        var response = await client.PostAsJsonAsync("/v1/sign", new { csr = Csrs.Create(), identity = Csrs.Identity, ttlSeconds = 60 });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(1, _app.Counter<CertSignFailed>(SignFailureReason.CertSign));
    }

    [Fact]
    public async Task Repairing_the_issuer_files_resumes_signing()
    {
        var client = _app.CreateClient();
        var store = _app.Services.GetRequiredService<IssuerStore>();
        File.WriteAllText(_app.Files.IssuerKeyPath, "not a key");
        await SentryCaFactory.WaitUntilAsync(() => store.Current is null, "the broken key is noticed");
        Assert.Contains(CredentialFiles.IssuerKeyName, store.LoadError);

        var repaired = SelfSignedCa.Create("cluster.local", TimeSpan.FromDays(60), TimeSpan.FromDays(30));
        _app.Files.Write(repaired);
        using var expected = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(repaired.IssuerCertPem);
        await SentryCaFactory.WaitUntilAsync(() => store.Current?.Issuer.Thumbprint == expected.Thumbprint, "the repaired issuer is loaded");

        var response = await client.PostAsJsonAsync("/v1/sign", new { csr = Csrs.Create(), identity = Csrs.Identity, ttlSeconds = 60 });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(_app.Counter<IssuerCertChanged>() >= 2);
    }
}
