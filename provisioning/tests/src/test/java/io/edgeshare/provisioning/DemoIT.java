package io.edgeshare.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * The first command of the README, as a new user runs it: {@code ./edgeshare demo} prints the URLs to open; the
 * console answers, both gateways are enrolled and online at the platform, their pages and live audio answer, and
 * SIGTERM to the launcher (its stop trap is the one Ctrl-C's SIGINT runs) stops every process it started.
 */
class DemoIT {
    private static final int WAIT_S = 240;
    private static final Pattern CONSOLE = Pattern.compile("Platform fleet console\\s+(http://127\\.0\\.0\\.1:(\\d+)/)");
    private static final Pattern GATEWAY = Pattern.compile("Gateway \\d \\((gw-[a-z]+)\\)\\s+(http://127\\.0\\.0\\.1:\\d+/)");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final List<String> printed = new CopyOnWriteArrayList<>();

    @Test
    void theDemoPrintsItsUrlsEverythingAnswersAndCtrlCStopsIt() throws Exception {
        Path root = Path.of(System.getProperty("edgeshare.root"));
        Process demo = new ProcessBuilder("bash", root.resolve("edgeshare").toString(), "demo", "--http-port",
                String.valueOf(Runtime.freePort()), "--mqtt-port", String.valueOf(Runtime.freePort()))
                .redirectErrorStream(true).start();
        read(demo.getInputStream());
        try {
            Ops.await("the demo's URLs", WAIT_S, () -> said("EdgeShare demo is running"));
            Ops.await("the rest of the demo's instructions", 10, () -> said("Logs: run/demo/"));
            String all = String.join("\n", printed);
            Matcher console = CONSOLE.matcher(all);
            assertTrue(console.find(), all);
            String token = Files.readString(root.resolve("run/demo/platform/data/operator.token")).trim();
            PlatformApi api = new PlatformApi(Integer.parseInt(console.group(2)), token);

            assertEquals(200, get(console.group(1)).statusCode(), "the console page");
            Ops.await("both gateways online at the platform", WAIT_S, () -> {
                JsonObject page = api.view("/api/gateways?status=online");
                return page != null && page.get("online").getAsInt() == 2;
            });
            Matcher gateway = GATEWAY.matcher(all);
            int gateways = 0;
            while (gateway.find()) {
                gateways++;
                String base = gateway.group(2);
                JsonObject status = PlatformApi.json(get(base + "api/status").body());
                assertEquals(gateway.group(1), status.get("deviceId").getAsString(), status.toString());
                assertEquals(200, get(base).statusCode(), "the portal page of " + gateway.group(1));
                assertTrue(audioBytes(base + "audio/main") > 16_000, "live audio from " + gateway.group(1));
            }
            assertEquals(2, gateways, all);
            JsonObject fleet = api.view("/api/gateways");
            for (JsonElement g : fleet.getAsJsonArray("gateways")) {
                assertTrue(g.getAsJsonObject().get("online").getAsBoolean(), fleet.toString());
            }
        } finally {
            List<ProcessHandle> started = demo.descendants().toList();
            new ProcessBuilder("kill", "-TERM", Long.toString(demo.pid())).start().waitFor(5, TimeUnit.SECONDS);
            boolean stopped = demo.waitFor(90, TimeUnit.SECONDS);
            List<ProcessHandle> left = started.stream().filter(ProcessHandle::isAlive).toList();
            left.forEach(ProcessHandle::destroyForcibly);
            demo.destroyForcibly();
            assertTrue(stopped, "SIGTERM stopped the demo:\n" + String.join("\n", printed));
            assertTrue(left.isEmpty(), "processes the demo left running: " + left);
        }
    }

    private boolean said(String text) {
        return printed.stream().anyMatch(l -> l.contains(text));
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** How many bytes of the live stream arrive in the first seconds (at most 64 KiB are read). */
    private long audioBytes(String url) throws Exception {
        HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode(), url);
        long n = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        try (InputStream in = r.body()) {
            byte[] buf = new byte[8192];
            while (n < 65_536 && System.nanoTime() < deadline) {
                int k = in.read(buf);
                if (k < 0) {
                    break;
                }
                n += k;
            }
        }
        return n;
    }

    private void read(InputStream out) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(out, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null;) {
                    printed.add(line);
                }
            } catch (java.io.IOException e) {
                // the demo ended
            }
        }, "demo-output");
        t.setDaemon(true);
        t.start();
    }
}
