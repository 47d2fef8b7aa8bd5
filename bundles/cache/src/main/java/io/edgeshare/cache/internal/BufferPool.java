package io.edgeshare.cache.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The direct buffers file bytes pass through on their way to a socket, shared by every download: at most
 * {@code max} of {@code size} bytes ever exist (allocated on first need, then reused), so direct memory stays
 * bounded however many downloads run. A copy takes a buffer for one chunk (read, write, give back); when all are
 * in use it waits for one, up to a deadline.
 */
final class BufferPool {

    static final int SIZE = 128 * 1024;
    static final int MAX = 32;

    private final BlockingQueue<ByteBuffer> free;
    private final AtomicInteger allocated = new AtomicInteger();
    private final int max;
    private final int size;

    BufferPool(int max, int size) {
        this.max = max;
        this.size = size;
        this.free = new ArrayBlockingQueue<>(max);
    }

    /** A cleared buffer; waits up to {@code waitMs} when all are in use. */
    ByteBuffer take(long waitMs) throws IOException, InterruptedException {
        ByteBuffer b = free.poll();
        if (b == null && allocated.getAndIncrement() < max) {
            b = ByteBuffer.allocateDirect(size);
        } else if (b == null) {
            allocated.decrementAndGet();
            b = free.poll(waitMs, TimeUnit.MILLISECONDS);
            if (b == null) {
                throw new IOException("no transfer buffer free for " + waitMs + " ms");
            }
        }
        b.clear();
        return b;
    }

    void give(ByteBuffer b) {
        free.offer(b);
    }

    /** Buffers that exist (free or in use); never more than the bound. */
    int allocated() {
        return Math.min(allocated.get(), max);
    }
}
