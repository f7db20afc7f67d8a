using System.Runtime.CompilerServices;

namespace Instrumentation;

/// <summary>
/// The lock-free front of a <see cref="Summary"/>: observers append into a pre-allocated buffer; full buffers queue up
/// for one consumer at a time (the summary's lock holder) to drain.
/// </summary>
/// <remarks>
/// <para>
/// An append reserves a slot with one interlocked increment of the hot buffer's <c>Reserved</c> counter and writes the
/// value's bits into it. Slots start as a bit pattern no observation can have (NaNs are stored as
/// <see cref="double.NaN"/>), so a drainer can tell a reserved slot whose value is not written yet from a written one
/// and waits for it rather than reading a 0.
/// </para>
/// <para>
/// A buffer is sealed exactly once, by whoever moves <c>Reserved</c> from below the capacity to at or above it: the
/// appender that takes the last slot, or the drainer closing a partly filled buffer (<see cref="SealHot"/>). The sealer
/// queues the buffer on the pending list, then publishes a spare as the new hot buffer. An appender that reserved past
/// the capacity waits for that and retries on the new buffer. Because queuing comes before publishing, a drainer that
/// finds the hot buffer sealed by someone else only has to wait for the hot buffer to change to be sure the sealed
/// one is pending.
/// </para>
/// <para>
/// Drained buffers are reused. A recycled buffer stays "closed" (<c>Reserved</c> at or above the capacity) while it
/// waits as a spare and is opened (set to 0) only after it has been published as the hot buffer, so an appender that
/// read an old hot-buffer reference can never reserve a slot in a buffer that is not hot: it sees it closed, waits
/// for the hot buffer to be a different one (or this one reopened) and retries.
/// </para>
/// </remarks>
internal sealed class ObservationQueue
{
    // A signalling NaN: never stored, since every NaN observation is stored as the canonical double.NaN.
    private const long EmptySlot = 0x7FF0_0000_0000_0001;
    private static readonly long NaNBits = BitConverter.DoubleToInt64Bits(double.NaN);

    private readonly int _capacity;
    private readonly Buffer?[] _spares = new Buffer?[2];
    private Buffer _hot;
    private Buffer? _pending;

    public ObservationQueue(int capacity)
    {
        _capacity = capacity;
        _hot = new Buffer(capacity);
        _hot.Reserved = 0;
    }

    /// <summary>
    /// Appends one observation. Returns true when this append filled (and sealed) a buffer: the caller should then
    /// drain, under the consumer lock.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Append(double value)
    {
        var bits = double.IsNaN(value) ? NaNBits : BitConverter.DoubleToInt64Bits(value);
        while (true)
        {
            var buffer = Volatile.Read(ref _hot);
            var index = Interlocked.Increment(ref buffer.Reserved) - 1;
            if (index < _capacity)
            {
                Volatile.Write(ref buffer.Slots[index], bits);
                if (index != _capacity - 1)
                {
                    return false;
                }
                Seal(buffer, _capacity);
                return true;
            }
            WaitUntilReplaced(buffer);
        }
    }

    /// <summary>
    /// Seals the hot buffer if it holds anything, so that the next <see cref="Drain"/> sees every append that completed
    /// before this call. Call only under the consumer lock.
    /// </summary>
    public void SealHot()
    {
        while (true)
        {
            var buffer = Volatile.Read(ref _hot);
            var reserved = Volatile.Read(ref buffer.Reserved);
            if (reserved == 0)
            {
                return;
            }
            if (reserved >= _capacity)
            {
                // Either the appender that filled it is sealing it (it queues the buffer before replacing it), or it
                // was just published and is not opened yet. Either way it is not ours to seal: wait, and look again.
                WaitUntilReplaced(buffer);
                continue;
            }
            // A compare-and-swap rather than an exchange, so a buffer that is not open is never closed here.
            if (Interlocked.CompareExchange(ref buffer.Reserved, _capacity, reserved) == reserved)
            {
                Seal(buffer, reserved);
                return;
            }
        }
    }

    /// <summary>
    /// Takes every sealed buffer, hands its values to <paramref name="sink"/> (in slot order, buffer by buffer) and
    /// recycles it. Call only under the consumer lock.
    /// </summary>
    public void Drain<TSink>(ref TSink sink)
        where TSink : struct, IObservationSink
    {
        var buffer = Interlocked.Exchange(ref _pending, null);
        while (buffer is not null)
        {
            var next = buffer.Next;
            var slots = buffer.Slots;
            for (var i = 0; i < buffer.Length; i++)
            {
                var bits = Volatile.Read(ref slots[i]);
                if (bits == EmptySlot)
                {
                    bits = WaitForWrite(ref slots[i]);
                }
                slots[i] = EmptySlot;
                sink.Add(BitConverter.Int64BitsToDouble(bits));
            }
            Recycle(buffer);
            buffer = next;
        }
    }

    private void Seal(Buffer buffer, int length)
    {
        buffer.Length = length;
        Buffer? head;
        do
        {
            head = Volatile.Read(ref _pending);
            buffer.Next = head;
        }
        while (!ReferenceEquals(Interlocked.CompareExchange(ref _pending, buffer, head), head));

        var next = TakeSpare();
        Volatile.Write(ref _hot, next);
        Volatile.Write(ref next.Reserved, 0);
    }

    private Buffer TakeSpare()
    {
        for (var i = 0; i < _spares.Length; i++)
        {
            if (Volatile.Read(ref _spares[i]) is not null && Interlocked.Exchange(ref _spares[i], null) is { } spare)
            {
                return spare;
            }
        }
        // Only when drains fall behind the appends (or on first use): a spare for the next time.
        return new Buffer(_capacity);
    }

    private void Recycle(Buffer buffer)
    {
        buffer.Next = null;
        buffer.Length = 0;
        // Reserved stays at or above the capacity: closed until it is published again. Only the lock holder puts
        // spares back, so a free place seen here stays free; with none free the buffer is left, closed, to the GC.
        for (var i = 0; i < _spares.Length; i++)
        {
            if (Volatile.Read(ref _spares[i]) is null)
            {
                Volatile.Write(ref _spares[i], buffer);
                return;
            }
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void WaitUntilReplaced(Buffer buffer)
    {
        var spin = new SpinWait();
        while (ReferenceEquals(Volatile.Read(ref _hot), buffer) && Volatile.Read(ref buffer.Reserved) >= _capacity)
        {
            spin.SpinOnce();
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long WaitForWrite(ref long slot)
    {
        // The slot is reserved and its appender is between reserving and writing: a few instructions, unless the
        // thread was descheduled right there.
        var spin = new SpinWait();
        long bits;
        while ((bits = Volatile.Read(ref slot)) == EmptySlot)
        {
            spin.SpinOnce();
        }
        return bits;
    }

    private sealed class Buffer
    {
        public readonly long[] Slots;
        public int Reserved;
        public int Length;
        public Buffer? Next;

        public Buffer(int capacity)
        {
            Slots = new long[capacity];
            Slots.AsSpan().Fill(EmptySlot);
            Reserved = capacity;
        }
    }
}

/// <summary>Receives drained observations (a struct, so draining makes no delegate call).</summary>
internal interface IObservationSink
{
    /// <summary>One observation, NaN included.</summary>
    void Add(double value);
}
