using Fixture;
using Instrumentation.Exposition;
using Instrumentation.Testing;

// The conformance fixture: registers a rich set of metrics and exposes them for real Prometheus tools to judge.
//   print text|openmetrics|protobuf   the exposition in that format, to stdout
//   expected                          the samples the fixture recorded, as JSON, to stdout
//   dump DIR                          metrics.txt, metrics.om.txt, metrics.om-created.txt (with the opt-in _created
//                                     samples), metrics.pb and expected.json from one process
//   serve PORT [EXPECTED_FILE]        serves on 127.0.0.1:PORT until killed (see MetricsServer for the paths; /native
//                                     serves NativeFixture's native histograms)
//   lint DIR                          LintFixture's deliberately badly named metrics: lint.txt (text format) and
//                                     lint-problems.txt (what Linter finds in them, one "name text" line each)
//   push URL DIR                      PUTs the registry (less its timestamped gauge) to the Pushgateway at URL, group
//                                     job="conformance", instance="fixture/one"; DIR/pushed.json: the samples pushed
//   push-refused URL                  PUTs it with the timestamped gauge: succeeds only if the gateway answers 400
//   push-add URL DIR                  POSTs one more counter to that group; DIR/added.json: its sample
//   push-native URL                   PUTs NativeFixture's native histograms to the group job="conformance", instance=".."
//   push-delete URL                   DELETEs the group (see PushSteps)
//   hostile DIR                       HostileSample: generated hostile label values in hostile.txt, hostile.om.txt,
//                                     hostile.pb, and hostile-expected.json (the values by index)

var (registry, expected) = FixtureMetrics.Create();

switch (args.FirstOrDefault())
{
    case "print" when args.Length == 2 && Formats.AcceptHeaders.TryGetValue(args[1], out var accept):
    {
        using var stdout = Console.OpenStandardOutput();
        ExpositionWriter.Write(stdout, registry.Gather(), ExpositionWriter.Negotiate(accept));
        return 0;
    }
    case "expected" when args.Length == 1:
    {
        using var stdout = Console.OpenStandardOutput();
        expected.WriteJson(stdout);
        return 0;
    }
    case "dump" when args.Length == 2:
    {
        Directory.CreateDirectory(args[1]);
        var families = registry.Gather();
        foreach (var (format, file) in new[] { ("text", "metrics.txt"), ("openmetrics", "metrics.om.txt"), ("protobuf", "metrics.pb") })
        {
            using var stream = File.Create(Path.Combine(args[1], file));
            ExpositionWriter.Write(stream, families, ExpositionWriter.Negotiate(Formats.AcceptHeaders[format]));
        }
        using (var stream = File.Create(Path.Combine(args[1], "metrics.om-created.txt")))
        {
            // _created samples are opt-in: the same OpenMetrics with them, for the parser to judge too.
            ExpositionWriter.Write(stream, families, ExpositionWriter.Negotiate(Formats.AcceptHeaders["openmetrics"]),
                new ExpositionOptions { OpenMetricsCreatedSamples = true });
        }
        using (var stream = File.Create(Path.Combine(args[1], "expected.json")))
        {
            expected.WriteJson(stream);
        }
        return 0;
    }
    case "serve" when args.Length is 2 or 3 && int.TryParse(args[1], out var port):
    {
        if (args.Length == 3)
        {
            using var stream = File.Create(args[2]);
            expected.WriteJson(stream);
        }
        await new MetricsServer(registry, port, NativeFixture.Create()).RunAsync();
        return 0;
    }
    case "hostile" when args.Length == 2:
        HostileSample.Write(args[1]);
        return 0;
    case "lint" when args.Length == 2:
    {
        Directory.CreateDirectory(args[1]);
        var families = LintFixture.Create().Gather();
        using (var stream = File.Create(Path.Combine(args[1], "lint.txt")))
        {
            TextFormat.Write(stream, families);
        }
        File.WriteAllLines(Path.Combine(args[1], "lint-problems.txt"), Linter.Lint(families).Select(p => p.ToString()));
        return 0;
    }
    case "push" when args.Length == 3 && Uri.TryCreate(args[1], UriKind.Absolute, out var gateway):
        await PushSteps.PushAsync(registry, expected, gateway, args[2]);
        return 0;
    case "push-refused" when args.Length == 2 && Uri.TryCreate(args[1], UriKind.Absolute, out var gateway):
        return await PushSteps.PushRefusedAsync(registry, gateway);
    case "push-add" when args.Length == 3 && Uri.TryCreate(args[1], UriKind.Absolute, out var gateway):
        await PushSteps.AddAsync(gateway, args[2]);
        return 0;
    case "push-native" when args.Length == 2 && Uri.TryCreate(args[1], UriKind.Absolute, out var gateway):
        await PushSteps.PushNativeAsync(gateway);
        return 0;
    case "push-delete" when args.Length == 2 && Uri.TryCreate(args[1], UriKind.Absolute, out var gateway):
        await PushSteps.DeleteAsync(gateway);
        return 0;
    default:
        Console.Error.WriteLine("usage: Fixture print text|openmetrics|protobuf | expected | dump DIR | serve PORT [EXPECTED_FILE] | lint DIR" +
            " | push URL DIR | push-refused URL | push-add URL DIR | push-native URL | push-delete URL");
        return 2;
}
