package io.edgeshare.provisioning;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * Headless Chromium (Debian package {@code chromium}) driven over the DevTools protocol: navigate, run
 * JavaScript in the page, emulate a phone's width, take screenshots. One page; closed with the browser.
 */
final class Chromium implements AutoCloseable {
    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonObject>> pending = new ConcurrentHashMap<>();

    private Chromium(Process process, Path profile, WebSocket socket) {
        this.process = process;
        this.profile = profile;
        this.socket = socket;
    }

    static Chromium start() throws Exception {
        Path profile = Files.createTempDirectory("edgeshare-chromium");
        Process p = new ProcessBuilder("chromium", "--headless=new", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--autoplay-policy=no-user-gesture-required", "--remote-debugging-port=0",
                "--user-data-dir=" + profile, "about:blank").redirectErrorStream(true)
                .redirectOutput(profile.resolve("chromium.log").toFile()).start();
        // Chromium writes the port it chose into the profile
        Path portFile = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!(Files.exists(portFile) && Files.readAllLines(portFile).size() >= 2)) {
            if (System.nanoTime() > deadline || !p.isAlive()) {
                p.destroyForcibly();
                throw new AssertionError("chromium did not start: " + Files.readString(profile.resolve("chromium.log")));
            }
            Thread.sleep(100); // poll interval, bounded by the deadline
        }
        int port = Integer.parseInt(Files.readAllLines(portFile).get(0).trim());
        HttpClient http = HttpClient.newHttpClient();
        String ws = null;
        while (ws == null && System.nanoTime() < deadline) {
            String json = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            for (JsonElement e : JsonParser.parseString(json).getAsJsonArray()) {
                if ("page".equals(e.getAsJsonObject().get("type").getAsString())) {
                    ws = e.getAsJsonObject().get("webSocketDebuggerUrl").getAsString();
                }
            }
            if (ws == null) {
                Thread.sleep(100); // poll interval, bounded by the deadline
            }
        }
        if (ws == null) {
            p.destroyForcibly();
            throw new AssertionError("chromium has no page target");
        }
        Chromium[] self = new Chromium[1];
        Listener listener = new Listener(self);
        WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create(ws), listener).get(10, TimeUnit.SECONDS);
        self[0] = new Chromium(p, profile, socket);
        return self[0];
    }

    /** Sends one DevTools command and waits for its result. */
    JsonObject call(String method, JsonObject params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonObject> answer = new CompletableFuture<>();
        pending.put(id, answer);
        JsonObject msg = new JsonObject();
        msg.addProperty("id", id);
        msg.addProperty("method", method);
        msg.add("params", params == null ? new JsonObject() : params);
        socket.sendText(msg.toString(), true).get(10, TimeUnit.SECONDS);
        JsonObject r = answer.get(60, TimeUnit.SECONDS);
        if (r.has("error")) {
            throw new AssertionError(method + ": " + r.get("error"));
        }
        return r.getAsJsonObject("result");
    }

    void viewport(int width, int height, boolean mobile) throws Exception {
        JsonObject p = new JsonObject();
        p.addProperty("width", width);
        p.addProperty("height", height);
        p.addProperty("deviceScaleFactor", 1);
        p.addProperty("mobile", mobile);
        call("Emulation.setDeviceMetricsOverride", p);
    }

    void navigate(String url) throws Exception {
        JsonObject p = new JsonObject();
        p.addProperty("url", url);
        call("Page.navigate", p);
        waitFor("document.readyState === 'complete' && location.href !== 'about:blank'", 20);
    }

    /** Evaluates an expression (awaiting a promise) and returns its JSON value. */
    JsonElement eval(String expression) throws Exception {
        JsonObject p = new JsonObject();
        p.addProperty("expression", expression);
        p.addProperty("awaitPromise", true);
        p.addProperty("returnByValue", true);
        JsonObject r = call("Runtime.evaluate", p);
        if (r.has("exceptionDetails")) {
            throw new AssertionError("page script failed: " + r.get("exceptionDetails"));
        }
        JsonObject result = r.getAsJsonObject("result");
        return result.has("value") ? result.get("value") : null;
    }

    /** Waits, inside the page, until the expression is truthy; fails after {@code seconds}. */
    void waitFor(String condition, int seconds) throws Exception {
        String js = "new Promise((ok, fail) => { const end = Date.now() + " + seconds * 1000 + "; (function poll() {"
                + " let v = false; try { v = (" + condition + "); } catch (e) {}"
                + " if (v) ok(true); else if (Date.now() > end) ok(false); else setTimeout(poll, 100); })(); })";
        JsonElement v = eval(js);
        if (v == null || !v.getAsBoolean()) {
            throw new AssertionError("never true within " + seconds + " s: " + condition + "\npage: "
                    + eval("document.body ? document.body.innerText : ''"));
        }
    }

    /** A PNG of the whole page. */
    void screenshot(Path file) throws Exception {
        JsonObject p = new JsonObject();
        p.addProperty("format", "png");
        p.addProperty("captureBeyondViewport", true);
        Files.createDirectories(file.getParent());
        Files.write(file, Base64.getDecoder().decode(call("Page.captureScreenshot", p).get("data").getAsString()));
    }

    @Override
    public void close() throws IOException, InterruptedException {
        socket.abort();
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    /** Collects (possibly fragmented) DevTools messages and completes the matching call. */
    private static final class Listener implements WebSocket.Listener {
        private final Chromium[] owner;
        private final StringBuilder buffer = new StringBuilder();

        Listener(Chromium[] owner) {
            this.owner = owner;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            buffer.append(data);
            if (last) {
                JsonObject msg = JsonParser.parseString(buffer.toString()).getAsJsonObject();
                buffer.setLength(0);
                if (msg.has("id") && owner[0] != null) {
                    CompletableFuture<JsonObject> f = owner[0].pending.remove(msg.get("id").getAsInt());
                    if (f != null) {
                        f.complete(msg);
                    }
                }
            }
            ws.request(1);
            return null;
        }
    }
}
