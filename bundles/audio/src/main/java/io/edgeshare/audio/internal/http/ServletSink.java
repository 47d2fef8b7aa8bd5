package io.edgeshare.audio.internal.http;

import java.io.IOException;
import java.nio.ByteBuffer;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The fallback route: the servlet's non-blocking output ({@code WriteListener}, {@code isReady()}). Used when
 * the container is not Jetty 12's HTTP/1.1 connection (see {@link DirectConnection}). It keeps the servlet
 * container's per-request objects for the listener's whole life (about 8 KiB of heap per listener with
 * Felix HTTP Jetty 12, measured).
 */
final class ServletSink implements AudioSink {

    private final AsyncContext async;
    private final ServletOutputStream out;

    private ServletSink(AsyncContext async, ServletOutputStream out) {
        this.async = async;
        this.out = out;
    }

    /** Puts the request in async mode and routes the container's write and lifecycle events to {@code l}. */
    static ServletSink start(HttpServletRequest req, HttpServletResponse resp, StreamListener l) throws IOException {
        AsyncContext async = req.startAsync();
        async.setTimeout(0);
        ServletOutputStream out = resp.getOutputStream();
        ServletSink sink = new ServletSink(async, out);
        l.start(sink);
        async.addListener(l);
        out.setWriteListener(l);
        return sink;
    }

    @Override
    public boolean isReady() {
        return out.isReady();
    }

    @Override
    public void write(ByteBuffer data) throws IOException {
        // write(ByteBuffer) is not aggregated: write(byte[]) would copy into the response's aggregation buffer,
        // which Jetty keeps until the response ends, i.e. for the stream's whole life
        out.write(data);
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() {
        try {
            async.complete(); // with a write pending this aborts the connection
        } catch (IllegalStateException ignored) {
            // already completed by the container
        }
    }
}
