using SentryCa.Ca;
using SentryCa.Endpoints;
using SentryCa.Hosting;
using SentryCa.Metrics;

var builder = WebApplication.CreateBuilder(args);

// `dotnet run` with no --urls (and no ASPNETCORE_URLS) listens on a fixed local port rather than Kestrel's default.
if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["http_ports"])
    && string.IsNullOrEmpty(builder.Configuration["https_ports"]))
{
    builder.WebHost.UseUrls("http://127.0.0.1:5090");
}

builder.Services.AddMetricsRegistry()   // "Metrics" section: const labels, process and runtime collectors
    .AddProcessCollector()
    .AddRuntimeCollector()
    // "Metrics:Push": off while Url is empty; the group's instance label defaults to the machine name.
    .AddMetricsPusher(push => push.GroupingLabels.TryAdd("instance", Environment.MachineName));
builder.Services.AddSentryCa(builder.Configuration);

// HTTPS endpoints (--urls https://...) serve a certificate issued by this CA, renewed without a restart.
builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureHttpsDefaults(https =>
    https.ServerCertificateSelector = (_, _) =>
        kestrel.ApplicationServices.GetRequiredService<ServerCertificateProvider>().GetCertificate()));

var app = builder.Build();

// Load (or create) the credentials now, so a broken credentials directory stops the start with a clear message.
app.Services.GetRequiredService<IssuerStore>();
app.Services.InitializeSentryMetrics();

app.MapMetrics("/metrics");
app.MapSign("/v1/sign");

app.Run();

/// <summary>The entry point; public so integration tests can host it with WebApplicationFactory.</summary>
public partial class Program;
