package io.edgeshare.audio.internal.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.edgeshare.audio.internal.ChannelListener;
import io.edgeshare.audio.internal.LiveChannel;
import io.edgeshare.audio.internal.fifo.Chunk;
import io.edgeshare.audio.internal.fifo.FifoRing;
import io.edgeshare.audio.internal.fifo.IcyMetadata;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.WriteListener;

/**
 * One HTTP listener: a non-blocking writer over the channel's shared ring. It writes the chunks' own
 * arrays (no per-listener copy of the stream), inserts ICY metadata every {@code metaint} bytes when the
 * client asked for it, and holds no thread while waiting: when it catches up with the live edge it parks
 * itself with the channel, which wakes it when the next chunk is published.
 *
 * <p>It writes to an {@link AudioSink}: the connection taken over from Jetty ({@link DirectConnection}, which
 * drops the servlet request's per-connection objects) or, where that is not possible, the servlet output
 * ({@link ServletSink}). Every write is one chunk (or the part of it up to the next ICY block) handed
 * straight to the socket, never copied into a per-listener buffer: a listener at the live edge costs one
 * socket write per published chunk and no memory between writes.
 *
 * <p>Exactly one party runs {@link #pump()} at a time: the sink (after {@code isReady()} returned false) or
 * the channel's fan-out (after this listener parked itself with {@code isReady()} true).
 */
final class StreamListener implements ChannelListener, WriteListener, AsyncListener {

    private static final Logger LOG = LoggerFactory.getLogger(StreamListener.class);

    private final LiveChannel channel;
    private volatile AudioSink out;
    private final String client;
    private final String ticket;
    private final int metaint;
    private final long joinedNanos = System.nanoTime();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile long seq = -1;
    private volatile long bytes;
    private int offset;
    private int untilMeta;
    private boolean metaDue;
    private boolean unflushed = true; // commit the response headers at once
    private IcyMetadata current;
    private IcyMetadata sent;

    private final long connectionKey;

    StreamListener(LiveChannel channel, String client, String ticket, int metaint, long connectionKey) {
        this.connectionKey = connectionKey;
        this.channel = channel;
        this.client = client;
        this.ticket = ticket;
        this.metaint = metaint;
        this.untilMeta = metaint;
    }

    /** Connects the admitted listener to its sink; a listener dropped before that closes the sink at once. */
    void start(AudioSink sink) {
        this.out = sink;
        if (closed.get()) {
            sink.close();
        }
    }

    @Override
    public boolean direct() {
        return out instanceof DirectConnection;
    }

    @Override
    public long position() {
        return seq;
    }

    @Override
    public String ticket() {
        return ticket;
    }

    @Override
    public long connectionKey() {
        return connectionKey;
    }

    @Override
    public long bytesSent() {
        return bytes;
    }

    @Override
    public void onWritePossible() {
        pump();
    }

    @Override
    public void wake() {
        pump();
    }

    private void pump() {
        FifoRing ring = channel.ring();
        AudioSink out = this.out;
        if (out == null) {
            return; // not started yet: start() follows
        }
        try {
            while (!closed.get()) {
                if (!out.isReady()) {
                    return; // the container calls onWritePossible when the socket drains
                }
                if (seq < 0) {
                    if (!ring.ready()) {
                        if (unflushed) {
                            out.flush();
                            unflushed = false;
                            continue;
                        }
                        channel.await(this);
                        return;
                    }
                    seq = ring.startPosition(channel.settings().burstNanos());
                }
                if (metaDue) {
                    byte[] block = current == sent || current == null ? IcyMetadata.NO_CHANGE : current.block();
                    out.write(ByteBuffer.wrap(block));
                    bytes += block.length;
                    channel.countBytes(block.length);
                    sent = current;
                    metaDue = false;
                    untilMeta = metaint;
                    continue;
                }
                Chunk c = ring.get(seq);
                if (c == null) {
                    if (seq < ring.oldest()) {
                        drop("fell more than " + channel.settings().bufferNanos() / 1_000_000
                                + " ms behind the live edge");
                        return;
                    }
                    if (unflushed) {
                        out.flush();
                        unflushed = false;
                        continue;
                    }
                    channel.await(this);
                    return;
                }
                int n = c.data().length - offset;
                if (metaint > 0) {
                    n = Math.min(n, untilMeta);
                }
                out.write(ByteBuffer.wrap(c.data(), offset, n)); // not aggregated: see the class comment
                bytes += n;
                channel.countBytes(n);
                current = c.icy();
                offset += n;
                if (metaint > 0) {
                    untilMeta -= n;
                    metaDue = untilMeta == 0;
                }
                if (offset == c.data().length) {
                    offset = 0;
                    seq = seq + 1;
                }
            }
        } catch (IOException | IllegalStateException e) {
            close("client went away: " + e.getMessage(), false);
        }
    }

    @Override
    public boolean drop(String reason) {
        return close(reason, true);
    }

    private boolean close(String reason, boolean byServer) {
        if (!closed.compareAndSet(false, true)) {
            return false;
        }
        channel.detach(this);
        long secs = (System.nanoTime() - joinedNanos) / 1_000_000_000L;
        if (byServer) {
            LOG.info("audio channel {}: listener {} dropped after {} s, {} bytes: {}", channel.id(), client, secs,
                    bytes, reason);
        } else {
            LOG.debug("audio channel {}: listener {} left after {} s, {} bytes", channel.id(), client, secs, bytes);
        }
        AudioSink sink = out;
        if (sink != null) {
            sink.close();
        }
        return true;
    }

    @Override
    public void onError(Throwable t) {
        close("client went away: " + t, false);
    }

    @Override
    public void onComplete(AsyncEvent event) {
        close("completed", false);
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        close("timed out", false);
    }

    @Override
    public void onError(AsyncEvent event) {
        close("client went away: " + event.getThrowable(), false);
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // not restarted
    }
}
