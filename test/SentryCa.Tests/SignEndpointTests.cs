using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using SentryCa.Ca;
using SentryCa.Metrics;

namespace SentryCa.Tests;

public sealed class SignEndpointTests : IDisposable
{
    private readonly SentryCaFactory _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Valid_csr_is_signed_chains_to_ca_crt_and_counts_received_and_success()
    {
        var client = _app.CreateClient();

        var response = await client.PostAsJsonAsync("/v1/sign", new { csr = Csrs.Create(), identity = Csrs.Identity, ttlSeconds = 3600 });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var (leaf, others) = Csrs.SplitChain(body.GetProperty("certificateChain").GetString()!);
        Assert.Equal([Csrs.Identity], Csrs.UriSans(leaf));

        using var root = X509CertificateLoader.LoadCertificateFromFile(_app.Files.RootCertPath);
        using var issuer = X509Certificate2.CreateFromPem(File.ReadAllText(_app.Files.IssuerCertPath));
        Assert.Equal(issuer.Thumbprint, Assert.Single(others).Thumbprint);
        Assert.Equal(issuer.SubjectName.RawData, leaf.IssuerName.RawData);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.ExtraStore.AddRange(others);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        Assert.True(chain.Build(leaf), string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));
        Assert.Equal(3, chain.ChainElements.Count);

        Assert.Equal(1, _app.Counter<CertSignRequestsReceived>());
        Assert.Equal(1, _app.Counter<CertSignSucceeded>());
    }

    public static TheoryData<string, string> BadRequests() => new()
    {
        { "not json at all", SignFailureReason.InsufficientData },
        { "{}", SignFailureReason.InsufficientData },
        { Json(Csrs.Create(), Csrs.Identity, null), SignFailureReason.InsufficientData },
        { Json(null, Csrs.Identity, 3600), SignFailureReason.InsufficientData },
        { Json("-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----", Csrs.Identity, 3600), SignFailureReason.CertParse },
        { Json(Csrs.WithBrokenSignature(), Csrs.Identity, 3600), SignFailureReason.CertValidation },
        { Json(Csrs.Create("spiffe://evil.example/ns/default/orders"), "spiffe://evil.example/ns/default/orders", 3600), SignFailureReason.RequestIdValidation },
        { Json(Csrs.Create("spiffe://cluster.local/ns/default/payments"), Csrs.Identity, 3600), SignFailureReason.RequestIdValidation },
        { Json(Csrs.Create(), "orders", 3600), SignFailureReason.RequestIdValidation },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Refused_csr_answers_400_with_its_reason_and_counts_received_and_failure(string body, string reason)
    {
        var client = _app.CreateClient();

        var response = await client.PostAsync("/v1/sign", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(reason, answer.GetProperty("reason").GetString());
        Assert.Equal(1, _app.Counter<CertSignRequestsReceived>());
        Assert.Equal(1, _app.Counter<CertSignFailed>(reason));
        Assert.Equal(0, _app.Counter<CertSignSucceeded>());
    }

    private static string Json(string? csr, string? identity, long? ttlSeconds) =>
        JsonSerializer.Serialize(new { csr, identity, ttlSeconds });
}
