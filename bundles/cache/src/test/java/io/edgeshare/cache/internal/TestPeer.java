package io.edgeshare.cache.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Another gateway on loopback, speaking the cache's peer protocol (catalog entry + content with Range); it
 * can cut connections part-way, send corrupt bytes, or claim a size it never delivers.
 */
final class TestPeer implements AutoCloseable {

    final HttpServer server;
    final List<String> requests = new CopyOnWriteArrayList<>();
    final String id;
    final byte[] body;
    final String sha;
    volatile int cutAfter = -1; // bytes sent before the connection is cut on the first content request
    volatile boolean cutEveryTime;
    volatile boolean corrupt;
    volatile String title = "clip.mp4";
    volatile String mediaType = "video/mp4";
    /** The SHA-256 the catalog entry claims; a lying peer claims one its bytes do not have. */
    volatile String claimedSha;
    private volatile boolean cutDone;

    TestPeer(String id, byte[] body) throws IOException {
        this.id = id;
        this.body = body;
        this.sha = Hex.hex(Hex.sha256().digest(body));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::handle);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String range = ex.getRequestHeaders().getFirst("Range");
            requests.add(ex.getRequestURI().getPath() + (range == null ? "" : " " + range));
            if (ex.getRequestURI().getPath().equals("/api/catalog/" + id)) {
                com.google.gson.JsonObject entry = new com.google.gson.JsonObject();
                entry.addProperty("id", id);
                entry.addProperty("title", title);
                entry.addProperty("mediaType", mediaType);
                entry.addProperty("size", body.length);
                entry.addProperty("sha256", claimedSha != null ? claimedSha : sha);
                entry.addProperty("category", "video");
                byte[] json = entry.toString().getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(200, json.length);
                ex.getResponseBody().write(json);
                return;
            }
            if (!ex.getRequestURI().getPath().equals("/content/" + id)) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            byte[] b = body.clone();
            if (corrupt) {
                b[b.length / 2] ^= 1;
            }
            int from = 0;
            if (range != null && range.startsWith("bytes=") && range.endsWith("-")) {
                from = Integer.parseInt(range.substring(6, range.length() - 1));
                ex.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + (b.length - 1) + "/" + b.length);
                ex.sendResponseHeaders(206, b.length - from);
            } else {
                ex.sendResponseHeaders(200, b.length);
            }
            OutputStream out = ex.getResponseBody();
            boolean cut = cutAfter >= 0 && (cutEveryTime || !cutDone);
            int end = cut ? Math.min(b.length, from + cutAfter) : b.length;
            out.write(b, from, end - from);
            out.flush();
            if (cut) {
                cutDone = true;
                // abandon the exchange mid-body: the client sees the connection end early
                ex.getHttpContext().getServer();
                throw new IOException("cutting the connection on purpose");
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
