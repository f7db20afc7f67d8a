using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using SentryCa.Ca;

namespace SentryCa.Tests;

public sealed class ServerCertificateTests : IDisposable
{
    private readonly SentryCaFactory _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public void Server_certificate_is_issued_by_the_ca_for_localhost()
    {
        var provider = _app.Services.GetRequiredService<ServerCertificateProvider>();

        var certificate = provider.GetCertificate();

        Assert.NotNull(certificate);
        Assert.True(certificate.HasPrivateKey);
        var store = _app.Services.GetRequiredService<IssuerStore>();
        Assert.True(store.Current!.ChainBuilds(certificate, DateTime.Now, out var problem), problem);
        Assert.Contains("localhost", certificate.GetNameInfo(X509NameType.DnsName, false));
        var usage = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single();
        Assert.Contains(usage.EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>(), o => o.Value == "1.3.6.1.5.5.7.3.1");
    }

    [Fact]
    public async Task Https_endpoint_serves_the_certificate_from_the_selector()
    {
        _app.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps()));
        _app.StartServer();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        var store = _app.Services.GetRequiredService<IssuerStore>();
        X509Certificate2? served = null;
        using var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    served = X509CertificateLoader.LoadCertificate(certificate!.GetRawCertData());
                    return store.Current!.ChainBuilds(served, DateTime.Now, out _);
                },
            },
        };
        using var client = new HttpClient(handler);

        var response = await client.GetAsync(address.Replace("127.0.0.1", "localhost") + "/v1/sign");

        // GET on a POST-only route: the TLS handshake is what this test is about.
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.NotNull(served);
        Assert.Equal(_app.Services.GetRequiredService<ServerCertificateProvider>().Current!.Thumbprint, served.Thumbprint);
    }
}
