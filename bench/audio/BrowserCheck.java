import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Plays a gateway stream in headless Chromium through an {@code <audio>} element and reports, over the
 * DevTools protocol, whether the browser decoded and advanced it. Bounded: 60 s at most.
 *
 * java bench/audio/BrowserCheck.java http://127.0.0.1:PORT/audio/CHANNEL
 */
public class BrowserCheck {
    public static void main(String[] args) throws Exception {
        String stream = args[0];
        Path dir = Files.createTempDirectory("edgeshare-browser");
        Path page = dir.resolve("page.html");
        Files.writeString(page, "<html><body><audio id=a src='" + stream + "' autoplay></audio><script>"
                + "document.getElementById('a').play().catch(e => window.playError = String(e));</script></body></html>");
        int port = 9333;
        Process chromium = new ProcessBuilder("chromium", "--headless=new", "--no-sandbox", "--disable-gpu",
                "--autoplay-policy=no-user-gesture-required", "--remote-debugging-port=" + port,
                "--user-data-dir=" + dir.resolve("profile"), page.toUri().toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("chromium.log").toFile()).start();
        int code = 1;
        try {
            HttpClient http = HttpClient.newHttpClient();
            String ws = null;
            for (int i = 0; i < 100 && ws == null; i++) {
                Thread.sleep(200);
                try {
                    String json = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json"))
                            .build(), HttpResponse.BodyHandlers.ofString()).body();
                    // the page target's DevTools socket
                    for (String block : json.split("\\}")) {
                        if (block.contains("\"type\": \"page\"")) {
                            Matcher u = Pattern.compile("\"webSocketDebuggerUrl\": \"([^\"]+)\"").matcher(block);
                            if (u.find()) {
                                ws = u.group(1);
                            }
                        }
                    }
                } catch (java.io.IOException notYet) {
                    // DevTools not listening yet
                }
            }
            if (ws == null) {
                throw new IllegalStateException("no DevTools page target");
            }
            Thread.sleep(6000); // let it play
            CompletableFuture<String> answer = new CompletableFuture<>();
            StringBuilder sb = new StringBuilder();
            WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create(ws), new WebSocket.Listener() {
                @Override
                public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                    sb.append(data);
                    if (last) {
                        answer.complete(sb.toString());
                    }
                    w.request(1);
                    return null;
                }
            }).get(10, TimeUnit.SECONDS);
            String expr = "(() => { const a = document.getElementById('a'); return 'currentTime=' + a.currentTime.toFixed(2)"
                    + " + ' readyState=' + a.readyState + ' paused=' + a.paused + ' error=' + (a.error ? a.error.code : 'none')"
                    + " + ' playError=' + (window.playError || 'none'); })()";
            socket.sendText("{\"id\":1,\"method\":\"Runtime.evaluate\",\"params\":{\"expression\":\""
                    + expr.replace("\"", "\\\"") + "\"}}", true);
            String result = answer.get(10, TimeUnit.SECONDS);
            Matcher v = Pattern.compile("\"value\":\"([^\"]*)\"").matcher(result);
            String value = v.find() ? v.group(1) : result;
            System.out.println("BROWSER " + value);
            Matcher t = Pattern.compile("currentTime=([0-9.]+)").matcher(value);
            code = t.find() && Double.parseDouble(t.group(1)) > 2.0 && value.contains("error=none") ? 0 : 1;
        } finally {
            chromium.destroyForcibly();
            chromium.waitFor(10, TimeUnit.SECONDS);
        }
        System.exit(code);
    }
}
