package io.edgeshare.audio.internal.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.Callback;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The lean route for {@code /audio/*}: once a listener is admitted and its response headers are on the wire,
 * the stream needs nothing of HTTP any more, so this takes the TCP connection over from Jetty's HTTP/1.1
 * connection ({@link EndPoint#upgrade}, the mechanism Jetty uses for WebSocket) and writes the audio straight
 * to the socket. Why: measured on the shipped mall-ap gateway ({@code jcmd GC.class_histogram}, docs/performance.md
 * "Live audio vs Icecast"), every listener kept about 8 KiB of live heap in the servlet request it never
 * finishes: Jetty's HTTP/1.1 connection, parser, channel state, the request and its headers, the servlet
 * request, response, output and async context. After the take-over only the socket, Jetty's end point and
 * this object stay (about 1 KiB); the rest is garbage. The request is left in async mode and never
 * completed, so the servlet container never writes to the connection again.
 *
 * <p>The bytes on the wire are the same as on the servlet route: Jetty wrote the status line and headers
 * ({@code Connection: close}, no {@code Content-Length}, not chunked), the body follows until either side
 * closes. The client closing is seen by reading (end of stream); Jetty's idle timeout still applies (a write
 * that cannot complete for that long closes the connection).
 */
final class DirectConnection extends AbstractConnection implements AudioSink {

    private static final int IDLE = 0;
    private static final int WRITING = 1;
    private static final int DONE = 2;
    private static final int PENDING = 3;

    private final StreamListener listener;
    private final AtomicInteger state = new AtomicInteger(IDLE);
    private final Callback written = new Callback() {
        @Override
        public void succeeded() {
            if (state.compareAndSet(WRITING, DONE)) {
                return; // completed within write(): the writer carries on
            }
            state.set(IDLE);
            listener.onWritePossible();
        }

        @Override
        public void failed(Throwable x) {
            state.set(IDLE);
            listener.onError(x);
        }

        @Override
        public InvocationType getInvocationType() {
            return InvocationType.NON_BLOCKING;
        }
    };

    private DirectConnection(EndPoint endPoint, StreamListener listener) {
        super(endPoint, Runnable::run);
        this.listener = listener;
    }

    /**
     * Sends the response headers through Jetty, then takes the connection over for {@code l}; false when this
     * is not Jetty 12's HTTP/1.1 connection (HTTP/2, another container), and then nothing was sent.
     */
    static boolean takeOver(HttpServletRequest req, HttpServletResponse resp, StreamListener l) throws IOException {
        EndPoint endPoint;
        try {
            ServletContextRequest r = ServletContextRequest.getServletContextRequest(req);
            Connection c = r == null ? null : r.getConnectionMetaData().getConnection();
            if (c == null || !c.getClass().getName().equals("org.eclipse.jetty.server.internal.HttpConnection")) {
                return false;
            }
            endPoint = c.getEndPoint();
        } catch (LinkageError | RuntimeException e) {
            return false;
        }
        resp.flushBuffer(); // the status line and headers, written by Jetty
        AsyncContext async = req.startAsync(); // the container must not complete (and so close) the response
        async.setTimeout(0);
        DirectConnection d = new DirectConnection(endPoint, l);
        l.start(d);
        endPoint.upgrade(d); // calls onOpen
        return true;
    }

    @Override
    public void onOpen() {
        super.onOpen();
        fillInterested();
        listener.onWritePossible();
    }

    @Override
    public void onFillable() {
        ByteBuffer discard = ByteBuffer.allocate(256);
        try {
            while (true) {
                discard.clear();
                int n = getEndPoint().fill(discard);
                if (n < 0) {
                    listener.onError(new IOException("the client closed the connection"));
                    return;
                }
                if (n == 0) {
                    fillInterested(); // a listener has nothing to say; we only watch for the end
                    return;
                }
            }
        } catch (IOException e) {
            listener.onError(e);
        }
    }

    @Override
    public void onClose(Throwable cause) {
        super.onClose(cause);
        // closed by Jetty (shut down, a failed read): the listener leaves the channel; a no-op when it closed first
        listener.onError(cause != null ? cause : new IOException("connection closed"));
    }

    @Override
    public boolean onIdleExpired(TimeoutException timeout) {
        listener.onError(timeout);
        return true;
    }

    @Override
    public boolean isReady() {
        return state.get() == IDLE;
    }

    @Override
    public void write(ByteBuffer data) {
        state.set(WRITING);
        getEndPoint().write(written, data);
        if (!state.compareAndSet(WRITING, PENDING)) {
            state.compareAndSet(DONE, IDLE); // written at once
        }
    }

    @Override
    public void flush() {
        // nothing held: every write goes to the socket
    }

    @Override
    public void close() {
        getEndPoint().close();
    }
}
