package io.edgeshare.cache.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.CompletableFuture;

/**
 * One acquisition of one item in progress, shared by every client that asks for it meanwhile. Clients wait
 * for {@link #started()}: the item is either streaming in from the origin (they read the growing file as it
 * is written), already stored (a peer copy was verified, or the origin said 304, or the origin failed and a
 * stale copy is served), or unavailable.
 */
final class Flight {

    enum Kind { STREAMING, STORED, FAILED }

    /**
     * How a waiting client proceeds.
     *
     * @param status for FAILED: the HTTP status to answer with
     * @param error  for FAILED: a short stable code
     * @param stale  for STORED: the origin could not confirm the copy
     */
    record Start(Kind kind, long contentLength, String mediaType, boolean stale, int status, String error,
            String message) {

        static Start streaming(long length, String mediaType) {
            return new Start(Kind.STREAMING, length, mediaType, false, 200, null, null);
        }

        static Start stored(boolean stale) {
            return new Start(Kind.STORED, -1, null, stale, 200, null, null);
        }

        static Start failed(int status, String error, String message) {
            return new Start(Kind.FAILED, -1, null, false, status, error, message);
        }
    }

    private final String id;
    private final CompletableFuture<Start> started = new CompletableFuture<>();
    private final CompletableFuture<StoredItem> done = new CompletableFuture<>();
    private final Object lock = new Object();
    private FileChannel reader;
    private int readers;
    private long written;
    private boolean finished;
    private String failure;
    private volatile long expected = -1;
    private volatile String source = "pending";
    private volatile Runnable onFinish = () -> { };

    Flight(String id) {
        this.id = id;
    }

    /** Runs before anyone learns the result, so a request after that starts a new flight rather than this one. */
    void onFinish(Runnable action) {
        this.onFinish = action;
    }

    String id() {
        return id;
    }

    CompletableFuture<Start> started() {
        return started;
    }

    CompletableFuture<StoredItem> done() {
        return done;
    }

    // ------------------------------------------------------------ writer side

    void source(String value, long expectedBytes) {
        this.source = value;
        this.expected = expectedBytes;
    }

    /** The origin answered 200: clients may now read {@code growing} as it fills. */
    void streaming(FileChannel growing, long length, String mediaType) {
        synchronized (lock) {
            reader = growing;
            readers = 1; // the writer's own reference, dropped at finish/fail
        }
        started.complete(Start.streaming(length, mediaType));
    }

    void progress(long total) {
        synchronized (lock) {
            written = total;
            lock.notifyAll();
        }
    }

    void succeeded(StoredItem item, boolean stale) {
        onFinish.run();
        started.complete(Start.stored(stale));
        done.complete(item); // before readers wake: whoever sees the end also sees the result
        synchronized (lock) {
            finished = true;
            lock.notifyAll();
        }
        releaseReader();
    }

    void failed(int status, String error, String message) {
        onFinish.run();
        started.complete(Start.failed(status, error, message));
        done.completeExceptionally(new StoreException(error, message));
        synchronized (lock) {
            failure = error + ": " + message;
            finished = true;
            lock.notifyAll();
        }
        releaseReader();
    }

    // ------------------------------------------------------------ reader side

    /** A channel on the growing file, or null when the flight is not streaming (any more). */
    FileChannel acquireReader() {
        synchronized (lock) {
            if (reader == null || readers == 0) {
                return null;
            }
            readers++;
            return reader;
        }
    }

    void releaseReader() {
        FileChannel toClose = null;
        synchronized (lock) {
            if (reader != null && readers > 0 && --readers == 0) {
                toClose = reader;
                reader = null;
            }
        }
        if (toClose != null) {
            try {
                toClose.close();
            } catch (IOException e) {
                // nothing left to read from it
            }
        }
    }

    /**
     * Reads bytes at {@code position} into {@code dst}, waiting up to {@code timeoutMs} for the writer to get
     * there. Returns -1 at the end of a complete item; throws if the acquisition failed or stalled.
     */
    int read(FileChannel channel, ByteBuffer dst, long position, long timeoutMs) throws IOException,
            InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        long available;
        synchronized (lock) {
            while (written <= position && !finished) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IOException("item " + id + " stalled at byte " + position);
                }
                lock.wait(Math.max(1, left / 1_000_000L));
            }
            if (failure != null) {
                throw new IOException("item " + id + " failed: " + failure);
            }
            available = written;
        }
        if (position >= available) {
            return -1;
        }
        int limit = (int) Math.min(dst.remaining(), available - position);
        ByteBuffer slice = dst.slice(dst.position(), limit);
        int n = channel.read(slice, position);
        if (n > 0) {
            dst.position(dst.position() + n);
        }
        return n;
    }

    /** Progress for status endpoints. */
    String describe() {
        synchronized (lock) {
            return source + " " + written + "/" + (expected < 0 ? "?" : Long.toString(expected));
        }
    }

    long written() {
        synchronized (lock) {
            return written;
        }
    }

    long expected() {
        return expected;
    }

    String source() {
        return source;
    }
}
