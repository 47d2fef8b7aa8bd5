package io.edgeshare.cache.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP origin on loopback (the JDK's server): serves one body with an ETag, slowly if asked, answers
 * If-None-Match with 304, can be switched to failing; records every request it gets.
 */
final class TestOrigin implements AutoCloseable {

    final HttpServer server;
    final AtomicInteger bodies = new AtomicInteger();
    final List<String> requests = new CopyOnWriteArrayList<>();
    volatile byte[] body;
    volatile String etag = "\"v1\"";
    volatile int chunk = 64 * 1024;
    volatile long chunkDelayMs;
    volatile int failWith; // 0: healthy
    volatile String cacheControl = "max-age=0";
    volatile String contentType = "video/mp4";
    volatile int cutAfter = -1; // bytes sent before the connection is cut

    TestOrigin(byte[] body) throws IOException {
        this.body = body;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::handle);
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String inm = ex.getRequestHeaders().getFirst("If-None-Match");
            requests.add(ex.getRequestMethod() + " " + ex.getRequestURI() + (inm == null ? "" : " INM=" + inm));
            if (failWith != 0) {
                ex.sendResponseHeaders(failWith, -1);
                return;
            }
            ex.getResponseHeaders().set("ETag", etag);
            ex.getResponseHeaders().set("Cache-Control", cacheControl);
            if (etag.equals(inm)) {
                ex.sendResponseHeaders(304, -1);
                return;
            }
            bodies.incrementAndGet();
            byte[] b = body;
            ex.getResponseHeaders().set("Content-Type", contentType);
            ex.sendResponseHeaders(200, b.length);
            try (OutputStream out = ex.getResponseBody()) {
                for (int off = 0; off < b.length; off += chunk) {
                    if (cutAfter >= 0 && off >= cutAfter) {
                        throw new IOException("origin dies mid-body on purpose");
                    }
                    out.write(b, off, Math.min(chunk, b.length - off));
                    out.flush();
                    if (chunkDelayMs > 0) {
                        Thread.sleep(chunkDelayMs);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
