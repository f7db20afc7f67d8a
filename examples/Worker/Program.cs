using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Worker;

// A worker with no web server: AddMetricsServer() serves /metrics on Metrics:Server:Port (9464 by default).
var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddMetricsRegistry().AddMetricsServer();
builder.Services.AddHostedService<JobWorker>();
builder.Build().Run();
