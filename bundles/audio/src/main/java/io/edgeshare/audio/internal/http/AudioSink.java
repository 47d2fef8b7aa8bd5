package io.edgeshare.audio.internal.http;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Where one listener's stream goes once its response headers are out: the connection Jetty handed over
 * ({@link DirectConnection}, the lean route) or the servlet's own non-blocking output ({@link ServletSink},
 * the fallback). Exactly one write is outstanding at a time; when {@link #isReady()} was false the sink calls
 * {@link StreamListener#onWritePossible()} once the write completes.
 */
interface AudioSink {

    /** No write outstanding: {@link #write} may be called. */
    boolean isReady() throws IOException;

    /** Starts writing {@code data} (the sink may keep a reference to it until the write completes). */
    void write(ByteBuffer data) throws IOException;

    /** Pushes out what the sink holds (the response headers, for the servlet fallback). */
    void flush() throws IOException;

    /** Ends the stream: closes the connection. Idempotent. */
    void close();
}
