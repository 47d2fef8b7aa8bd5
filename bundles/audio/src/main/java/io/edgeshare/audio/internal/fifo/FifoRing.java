package io.edgeshare.audio.internal.fifo;

/**
 * The bounded first-in-first-out buffer of one channel (claims B2, B5, B7): one writer (the channel's
 * pacer) appends chunks at real-time pace, any number of listeners read the same chunks by sequence
 * number. It holds at most {@code bufferNanos} of audio; a reader whose next chunk has been evicted has
 * fallen behind the buffer.
 *
 * <p>Readers never lock: {@code head} and {@code oldest} are volatile and slots are checked for the
 * expected sequence number, so a slot overwritten under a slow reader is detected, not misread.
 */
public final class FifoRing {

    private volatile Chunk[] slots;
    private volatile long head = -1;
    private volatile long oldest = 0;
    private volatile boolean ready;
    private long filledNanos;
    private long bufferNanos;
    private long thresholdNanos;

    public FifoRing(long bufferNanos, long thresholdNanos, long chunkNanos) {
        this.bufferNanos = bufferNanos;
        this.thresholdNanos = Math.min(thresholdNanos, bufferNanos);
        this.slots = new Chunk[capacity(bufferNanos, chunkNanos)];
    }

    private static int capacity(long bufferNanos, long chunkNanos) {
        // chunks are at least chunkNanos long except at item boundaries; leave room for those
        return (int) Math.min(1 << 16, 2 * (bufferNanos / Math.max(1, chunkNanos)) + 32);
    }

    /** Appends the next chunk; its seq must be {@link #head()} + 1. Single writer. */
    public synchronized void append(Chunk chunk) {
        if (chunk.seq() != head + 1) {
            throw new IllegalArgumentException("expected chunk " + (head + 1) + ", got " + chunk.seq());
        }
        Chunk[] s = slots;
        int slot = (int) (chunk.seq() % s.length);
        Chunk displaced = s[slot];
        if (displaced != null && displaced.seq() >= oldest) {
            evictTo(displaced.seq() + 1);
        }
        filledNanos += chunk.durationNanos();
        s[slot] = chunk;
        head = chunk.seq();
        if (head == 0) {
            oldest = 0;
        }
        while (filledNanos > bufferNanos && oldest < head) {
            evictTo(oldest + 1);
        }
        if (!ready && filledNanos >= thresholdNanos) {
            ready = true;
        }
    }

    private void evictTo(long newOldest) {
        Chunk[] s = slots;
        while (oldest < newOldest) {
            Chunk c = s[(int) (oldest % s.length)];
            if (c != null && c.seq() == oldest) {
                filledNanos -= c.durationNanos();
            }
            oldest++;
        }
    }

    /** The chunk at {@code seq}, or null when it is not (or no longer) in the ring. */
    public Chunk get(long seq) {
        if (seq < oldest || seq > head) {
            return null;
        }
        Chunk[] s = slots;
        Chunk c = s[(int) (seq % s.length)];
        if (c == null || c.seq() != seq || seq < oldest) {
            return null;
        }
        return c;
    }

    /** Sequence number of the newest chunk, -1 before the first. */
    public long head() {
        return head;
    }

    /** Sequence number of the oldest chunk still held. */
    public long oldest() {
        return oldest;
    }

    /** Whether the fill has reached the start threshold once (claim B5); sending starts then. */
    public boolean ready() {
        return ready;
    }

    public synchronized long filledNanos() {
        return filledNanos;
    }

    public synchronized long bufferNanos() {
        return bufferNanos;
    }

    /**
     * The sequence number a new listener starts at: up to {@code burstNanos} of audio behind the live
     * edge, so its player starts at once and then follows the live edge.
     */
    public synchronized long startPosition(long burstNanos) {
        if (head < 0) {
            return 0;
        }
        long seq = head;
        long acc = 0;
        Chunk[] s = slots;
        while (seq >= oldest) {
            Chunk c = s[(int) (seq % s.length)];
            if (c == null || c.seq() != seq || acc + c.durationNanos() > burstNanos) {
                break;
            }
            acc += c.durationNanos();
            seq--;
        }
        return acc == 0 ? head : seq + 1;
    }

    /**
     * Changes the length and start threshold in place; held chunks (as many as fit) and every reader's
     * position stay valid.
     */
    public synchronized void resize(long newBufferNanos, long newThresholdNanos, long chunkNanos) {
        Chunk[] old = slots;
        Chunk[] grown = new Chunk[capacity(newBufferNanos, chunkNanos)];
        bufferNanos = newBufferNanos;
        thresholdNanos = Math.min(newThresholdNanos, newBufferNanos);
        long keepFrom = Math.max(oldest, head - grown.length + 1);
        evictTo(keepFrom);
        for (long seq = oldest; seq <= head && seq >= 0; seq++) {
            grown[(int) (seq % grown.length)] = old[(int) (seq % old.length)];
        }
        slots = grown;
        while (filledNanos > bufferNanos && oldest < head) {
            evictTo(oldest + 1);
        }
        if (!ready && head >= 0 && filledNanos >= thresholdNanos) {
            ready = true;
        }
    }
}
