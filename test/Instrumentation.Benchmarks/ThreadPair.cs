using System.Diagnostics;

namespace Instrumentation.Benchmarks;

/// <summary>
/// Two long-lived worker threads that run the same loop at the same moment, so a benchmark measures two threads
/// updating one metric rather than thread start-up. <see cref="Run"/> releases both through a barrier and returns when
/// both have finished.
/// </summary>
public sealed class ThreadPair : IDisposable
{
    private readonly Barrier _barrier = new(3);
    private readonly Thread[] _threads = new Thread[2];
    private readonly long[] _started = new long[2];
    private readonly long[] _finished = new long[2];
    private double _overlapSum;
    private int _runs;
    private Action<int>? _work;
    private int _opsPerThread;
    private volatile bool _stopping;

    public ThreadPair()
    {
        for (var i = 0; i < _threads.Length; i++)
        {
            _threads[i] = new Thread(Loop) { IsBackground = true, Name = "bench-worker-" + i };
            _threads[i].Start(i);
        }
    }

    /// <summary>Runs <paramref name="work"/>(<paramref name="opsPerThread"/>) on both threads at once.</summary>
    public void Run(Action<int> work, int opsPerThread)
    {
        _work = work;
        _opsPerThread = opsPerThread;
        _barrier.SignalAndWait(); // start
        _barrier.SignalAndWait(); // both done
        var span = Math.Max(_finished[0], _finished[1]) - Math.Min(_started[0], _started[1]);
        var together = Math.Min(_finished[0], _finished[1]) - Math.Max(_started[0], _started[1]);
        _overlapSum += span > 0 ? Math.Max(0, together) / (double)span : 0;
        _runs++;
    }

    /// <summary>
    /// The average share of a run during which both threads were working: near 1 when they really ran at once, lower
    /// when the machine was too busy to give them two cores (then the 2-thread figure understates contention).
    /// </summary>
    public double AverageOverlap => _runs == 0 ? 0 : _overlapSum / _runs;

    public void Dispose()
    {
        _stopping = true;
        _barrier.SignalAndWait();
        foreach (var thread in _threads)
        {
            thread.Join();
        }
        _barrier.Dispose();
    }

    private void Loop(object? index)
    {
        var i = (int)index!;
        while (true)
        {
            _barrier.SignalAndWait();
            if (_stopping)
            {
                return;
            }
            _started[i] = Stopwatch.GetTimestamp();
            _work!(_opsPerThread);
            _finished[i] = Stopwatch.GetTimestamp();
            _barrier.SignalAndWait();
        }
    }
}
