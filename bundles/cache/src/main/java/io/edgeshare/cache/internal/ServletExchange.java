package io.edgeshare.cache.internal;

import java.io.IOException;
import java.nio.ByteBuffer;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** The servlet whiteboard's side of an {@link Exchange}. */
final class ServletExchange implements Exchange {

    private final HttpServletRequest req;
    private final HttpServletResponse resp;
    private final Replies replies;

    ServletExchange(HttpServletRequest req, HttpServletResponse resp, Replies replies) {
        this.req = req;
        this.resp = resp;
        this.replies = replies;
    }

    @Override
    public String method() {
        return req.getMethod();
    }

    @Override
    public String header(String name) {
        return req.getHeader(name);
    }

    @Override
    public String client() {
        return req.getRemoteAddr();
    }

    @Override
    public void status(int status) {
        resp.setStatus(status);
    }

    @Override
    public void header(String name, String value) {
        resp.setHeader(name, value);
    }

    @Override
    public void contentType(String type) {
        resp.setContentType(type);
    }

    @Override
    public void contentLength(long length) {
        resp.setContentLengthLong(length);
    }

    @Override
    public boolean committed() {
        return resp.isCommitted();
    }

    @Override
    public void error(int status, String code, String reason, String... headerPairs) throws IOException {
        replies.error(resp, status, code, reason, headerPairs);
    }

    @Override
    public void write(ByteBuffer bytes, boolean last) throws IOException {
        resp.getOutputStream().write(bytes);
    }

    @Override
    public void flush() throws IOException {
        resp.flushBuffer();
    }
}
