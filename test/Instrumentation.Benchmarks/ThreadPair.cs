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
    private Action<int>? _work;
    private int _opsPerThread;
    private volatile bool _stopping;

    public ThreadPair()
    {
        for (var i = 0; i < _threads.Length; i++)
        {
            _threads[i] = new Thread(Loop) { IsBackground = true, Name = "bench-worker-" + i };
            _threads[i].Start();
        }
    }

    /// <summary>Runs <paramref name="work"/>(<paramref name="opsPerThread"/>) on both threads at once.</summary>
    public void Run(Action<int> work, int opsPerThread)
    {
        _work = work;
        _opsPerThread = opsPerThread;
        _barrier.SignalAndWait(); // start
        _barrier.SignalAndWait(); // both done
    }

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

    private void Loop()
    {
        while (true)
        {
            _barrier.SignalAndWait();
            if (_stopping)
            {
                return;
            }
            _work!(_opsPerThread);
            _barrier.SignalAndWait();
        }
    }
}
