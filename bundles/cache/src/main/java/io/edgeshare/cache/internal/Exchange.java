package io.edgeshare.cache.internal;

import java.io.IOException;
import java.nio.ByteBuffer;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;

/**
 * One request and its answer, as {@link StoredResponder} needs them. Two implementations: {@link ServletExchange}
 * (the servlet whiteboard) and the Jetty core one of {@link ContentRoute} (the fast route), so both routes
 * answer with the same code and therefore the same semantics.
 */
interface Exchange {

    String method();

    /** A request header, or null. */
    String header(String name);

    /** The client's address (rate limiting, logs). */
    String client();

    void status(int status);

    /** Sets (replaces) a response header. */
    void header(String name, String value);

    void contentType(String type);

    /** Sets (replaces) each of these headers, in order; a Content-Type goes through {@link #contentType}. */
    default void headers(HttpField[] fields) {
        for (HttpField f : fields) {
            if (f.getHeader() == HttpHeader.CONTENT_TYPE) {
                contentType(f.getValue());
            } else {
                header(f.getName(), f.getValue());
            }
        }
    }

    void contentLength(long length);

    /** Whether the status line and headers went out already. */
    boolean committed();

    /** Discards what was set so far and answers {@code {"error":code,"reason":reason}} (nothing once committed). */
    void error(int status, String code, String reason, String... headerPairs) throws IOException;

    /** Writes body bytes, blocking until the transport took them; {@code last}: no more will follow. */
    void write(ByteBuffer bytes, boolean last) throws IOException;

    /**
     * Writes the answer's last bytes, from memory that stays valid (a hot item's copy); the fast route hands them
     * to Jetty without waiting, so its thread is free at once. Other exchanges write them as {@link #write}.
     */
    default void writeLast(ByteBuffer bytes) throws IOException {
        write(bytes, true);
    }

    /** Sends the headers now (a growing item: the client sees the answer start as soon as the origin's does). */
    void flush() throws IOException;
}
