package io.edgeshare.cache.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.Callback;

/**
 * The Jetty core side of an {@link Exchange} (the fast route): headers go straight into Jetty's fields (an
 * item's unchanging ones pre-encoded, {@link ItemHeaders}), body writes block the handling thread until Jetty took
 * the bytes, as the servlet's output stream does, except a hot item's last bytes ({@link #writeLast}), which
 * complete the handler's callback when sent.
 */
final class CoreExchange implements Exchange {

    private final Request request;
    private final Response response;
    private final Replies replies;
    private final Callback done;
    private boolean lastWritten;
    private boolean handedOff;

    /** {@code done}: the handler's callback, which a {@link #writeLast} completes once Jetty sent the bytes. */
    CoreExchange(Request request, Response response, Replies replies, Callback done) {
        this.request = request;
        this.response = response;
        this.replies = replies;
        this.done = done;
    }

    @Override
    public String method() {
        return request.getMethod();
    }

    @Override
    public String header(String name) {
        return request.getHeaders().get(name);
    }

    @Override
    public String client() {
        return Request.getRemoteAddr(request);
    }

    @Override
    public void status(int status) {
        response.setStatus(status);
    }

    @Override
    public void header(String name, String value) {
        response.getHeaders().put(name, value);
    }

    @Override
    public void contentType(String type) {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
    }

    /** Jetty takes the fields as they are: a pre-encoded one is copied into the response as bytes. */
    @Override
    public void headers(HttpField[] fields) {
        HttpFields.Mutable headers = response.getHeaders();
        for (HttpField f : fields) {
            headers.put(f);
        }
    }

    @Override
    public void contentLength(long length) {
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, length);
    }

    @Override
    public boolean committed() {
        return response.isCommitted();
    }

    @Override
    public void error(int status, String code, String reason, String... headerPairs) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.reset();
        for (int i = 0; i + 1 < headerPairs.length; i += 2) {
            header(headerPairs[i], headerPairs[i + 1]);
        }
        byte[] body = replies.gson().toJson(replies.errorBody(code, reason)).getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        contentType("application/json;charset=utf-8");
        header("Cache-Control", "no-store");
        header("X-Content-Type-Options", "nosniff");
        contentLength(body.length);
        write(ByteBuffer.wrap(body), true);
    }

    @Override
    public void write(ByteBuffer bytes, boolean last) throws IOException {
        try (Blocker.Callback done = Blocker.callback()) {
            response.write(last, bytes, done);
            done.block();
        }
        lastWritten |= last;
    }

    /** Not waited for: Jetty completes the handler's callback when the bytes went out (or fails it). */
    @Override
    public void writeLast(ByteBuffer bytes) {
        handedOff = true;
        lastWritten = true;
        response.write(true, bytes, done);
    }

    /** Whether {@link #writeLast} gave the handler's callback to Jetty (then nobody else may complete it). */
    boolean handedOff() {
        return handedOff;
    }

    @Override
    public void flush() throws IOException {
        write(ByteBuffer.allocate(0), false);
    }

    /** Whether the answer's last bytes went out (else completing the handler's callback ends it). */
    boolean lastWritten() {
        return lastWritten;
    }
}
