package io.edgeshare.provisioning;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped runtimes, started by ./edgeshare as separate JVMs, checked with curl: a gateway enrols and
 * reports to a platform, an operator's edit of etc/ applies without a restart, and a gateway killed with
 * SIGKILL is announced offline by its will.
 */
class DistributionIT {

    @Test
    void gatewayReportsToPlatformReconfiguresLiveAndDiesLoudly(@TempDir Path tmp) throws Exception {
        int platformHttp = Runtime.freePort();
        int mqtt = Runtime.freePort();
        int gatewayHttp = Runtime.freePort();
        try (Runtime platform = Runtime.start(tmp.resolve("platform"), "platform", "--http-port",
                String.valueOf(platformHttp), "--mqtt-port", String.valueOf(mqtt))) {
            awaitBody(platform, "http://127.0.0.1:" + platformHttp + "/api/gateways", "\"connected\":true", 90,
                    operatorToken(tmp.resolve("platform")));

            try (Runtime gateway = Runtime.start(tmp.resolve("gw"), "gateway", "--profile", "mall-ap",
                    "--http-port", String.valueOf(gatewayHttp), "--platform", "tcp://127.0.0.1:" + mqtt,
                    "--id", "gw-dist", "--location", "48.8611,2.3359", "--name", "Dist test",
                    "--enrol-at", "http://127.0.0.1:" + platformHttp, "--operator-token-file",
                    tokenFile(tmp.resolve("platform")))) {
                String page = curl("http://127.0.0.1:" + gatewayHttp + "/", 60, gateway);
                assertTrue(page.contains("EdgeShare"), page);
                awaitBody(gateway, "http://127.0.0.1:" + gatewayHttp + "/api/status", "\"name\":\"Dist test\"", 30);
                String fleet = awaitBody(platform, "http://127.0.0.1:" + platformHttp + "/api/gateways/gw-dist",
                        "\"online\":true", 60, operatorToken(tmp.resolve("platform")));
                assertTrue(fleet.contains("\"profile\":\"mall-ap\""), fleet);
                assertTrue(fleet.contains("\"latitude\":48.8611"), fleet);

                // The operator edits etc/ while it runs: FileInstall reconfigures, no restart.
                Path identity = tmp.resolve("gw/etc/edgeshare.identity.cfg");
                String text = Files.readString(identity, StandardCharsets.UTF_8);
                Files.writeString(identity, text.replace("display.name = Dist test", "display.name = Renamed"));
                awaitBody(gateway, "http://127.0.0.1:" + gatewayHttp + "/api/status", "\"name\":\"Renamed\"", 20);
                double connects = Ops.metric(gatewayHttp, "edgeshare_uplink_connects_total");
                assertTrue(connects >= 1, "the uplink connected: " + connects);
                Path uplink = tmp.resolve("gw/etc/edgeshare.uplink.cfg");
                Files.writeString(uplink, Files.readString(uplink).replace("will.delay.s = 10", "will.delay.s = 1"));
                // the uplink reconnects with the new will delay
                Ops.await("the uplink reconnected", 30,
                        () -> Ops.metric(gatewayHttp, "edgeshare_uplink_connects_total") > connects, gateway);

                // kill -9: the broker publishes the gateway's will; the platform marks it offline.
                new ProcessBuilder("kill", "-9", Long.toString(gateway.pid())).start().waitFor(5, TimeUnit.SECONDS);
                awaitBody(platform, "http://127.0.0.1:" + platformHttp + "/api/gateways/gw-dist", "\"online\":false",
                        30, operatorToken(tmp.resolve("platform")));
            }
        }
    }

    /**
     * Two gateways 170 m apart: the platform finds them in range of each other from their births (A6) and
     * pushes each the other's shared content (A5, A7); a file imported on one is downloaded by the other from
     * it, verified, and then served from its own cache (A4).
     */
    @Test
    void nearbyGatewaysShareContentWithoutTheInternet(@TempDir Path tmp) throws Exception {
        int platformHttp = Runtime.freePort();
        int mqtt = Runtime.freePort();
        int http1 = Runtime.freePort();
        int http2 = Runtime.freePort();
        try (Runtime platform = Runtime.start(tmp.resolve("platform"), "platform", "--http-port",
                String.valueOf(platformHttp), "--mqtt-port", String.valueOf(mqtt))) {
            awaitBody(platform, "http://127.0.0.1:" + platformHttp + "/api/gateways", "\"connected\":true", 90,
                    operatorToken(tmp.resolve("platform")));
            try (Runtime louvre = Runtime.start(tmp.resolve("louvre"), "gateway", "--http-port", String.valueOf(http1),
                    "--platform", "tcp://127.0.0.1:" + mqtt, "--id", "gw-louvre", "--location", "48.86110,2.33590",
                    "--enrol-at", "http://127.0.0.1:" + platformHttp, "--operator-token-file",
                    tokenFile(tmp.resolve("platform")));
                    Runtime rivoli = Runtime.start(tmp.resolve("rivoli"), "gateway", "--http-port",
                            String.valueOf(http2), "--platform", "tcp://127.0.0.1:" + mqtt, "--id", "gw-rivoli",
                            "--location", "48.86190,2.33790", "--enrol-at", "http://127.0.0.1:" + platformHttp,
                            "--operator-token-file", tokenFile(tmp.resolve("platform")))) {
                awaitBody(rivoli, "http://127.0.0.1:" + http2 + "/api/status", "gw-rivoli", 60);
                awaitBody(louvre, "http://127.0.0.1:" + http1 + "/api/status", "gw-louvre", 60);

                // an operator's video on rivoli
                Path clip = tmp.resolve("clip.mp4");
                byte[] bytes = new byte[3 * 1024 * 1024 + 17];
                new java.util.Random(5).nextBytes(bytes);
                Files.write(clip, bytes);
                String imported = run("curl", "-s", "-f", "-X", "POST", "--data-binary", "@" + clip,
                        "http://127.0.0.1:" + http2 + "/api/cache/import?title=clip.mp4&category=video");
                String id = imported.replaceAll("(?s).*\"id\":\"([A-Za-z0-9_-]+)\".*", "$1");

                // the platform pushes rivoli, with the clip, to louvre as a nearby sharer
                String view = awaitBody(platform, "http://127.0.0.1:" + platformHttp + "/api/gateways/gw-louvre",
                        id, 60, operatorToken(tmp.resolve("platform")));
                assertTrue(view.contains("\"deviceId\":\"gw-rivoli\""), view);
                awaitBody(louvre, "http://127.0.0.1:" + http1 + "/api/status", "\"nearby.sharers\":1", 30);

                // the platform tells louvre to fetch it (MQTT 5 request/response, with the Mosquitto client);
                // louvre takes it from rivoli, not from the internet (there is no origin URL at all)
                String answer = run("mosquitto_rr", "-V", "5", "-h", "127.0.0.1", "-p", String.valueOf(mqtt), "-W",
                        "20", "-u", "edgeshare-platform", "-P", Files.readString(tmp.resolve(
                        "platform/data/mqtt-platform.password")).trim(), "-i", "edgeshare-platform-dist",
                        "-t", "edgeshare/v1/gw/gw-louvre/cmd/fetch", "-e", "edgeshare/v1/gw/gw-louvre/res/1", "-m",
                        "{\"id\":\"" + id + "\"}");
                assertTrue(answer.contains("\"ok\":true"), answer);
                awaitBody(louvre, "http://127.0.0.1:" + http1 + "/api/catalog", id, 30);
                Path copy = tmp.resolve("copy.mp4");
                run("curl", "-s", "-f", "-o", copy.toString(), "http://127.0.0.1:" + http1 + "/content/" + id);
                assertTrue(java.util.Arrays.equals(bytes, Files.readAllBytes(copy)), "the copy is identical");
                awaitBody(louvre, "http://127.0.0.1:" + http1 + "/api/status", "\"bytes.peers\":" + bytes.length,
                        10);

                // what a guest's phone shows, rendered by a real browser: the clip to download, the channel to hear
                String portal = browser("http://127.0.0.1:" + http1 + "/");
                assertTrue(portal.contains("clip.mp4") && portal.contains("/content/" + id), portal);
                assertTrue(portal.contains("Living room") && portal.contains(">Listen<"), portal);
                // and the operator's fleet console, given the operator token once
                String console = browser("http://127.0.0.1:" + platformHttp + "/#token="
                        + operatorToken(tmp.resolve("platform")));
                assertTrue(console.contains("gw-louvre") && console.contains("gw-rivoli"), console);
                assertTrue(console.contains("2 gateways, 2 online"), console);
            }
        }
    }

    /** The DOM of a page after its scripts ran, from headless Chromium (Debian package chromium). */
    static String browser(String url) throws Exception {
        Path profile = Files.createTempDirectory("chromium");
        return run("chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--virtual-time-budget=5000", "--dump-dom", url);
    }

    static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", cmd) + " failed: " + out);
        }
        return out;
    }

    /** GET with the real curl until it answers 200. */
    static String curl(String url, int seconds, Runtime owner) throws Exception {
        return awaitBody(owner, url, "", seconds);
    }

    /** The file holding the operator token (waits until the platform wrote it). */
    static String tokenFile(Path platformInstance) throws Exception {
        operatorToken(platformInstance);
        return platformInstance.resolve("data/operator.token").toString();
    }

    /** The operator token the platform generated into its instance at first start. */
    static String operatorToken(Path platformInstance) throws Exception {
        Path file = platformInstance.resolve("data/operator.token");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!Files.isRegularFile(file)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the platform wrote no " + file);
            }
            Thread.sleep(250);
        }
        return Files.readString(file).trim();
    }

    static String awaitBody(Runtime owner, String url, String needle, int seconds) throws Exception {
        return awaitBody(owner, url, needle, seconds, null);
    }

    /** GET with the real curl (with the operator's bearer token when given) until the body holds the needle. */
    static String awaitBody(Runtime owner, String url, String needle, int seconds, String token) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        String last = "";
        while (System.nanoTime() < deadline) {
            if (!owner.process.isAlive()) {
                throw new AssertionError("runtime exited (" + owner.process.exitValue() + "):\n" + owner.log());
            }
            List<String> cmd = new ArrayList<>(List.of("curl", "-s", "--max-time", "3", "-w", "\n%{http_code}", url));
            if (token != null) {
                cmd.addAll(List.of("-H", "Authorization: Bearer " + token));
            }
            Process curl = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            curl.waitFor(5, TimeUnit.SECONDS);
            int nl = out.lastIndexOf('\n');
            String code = nl >= 0 ? out.substring(nl + 1).trim() : "";
            String body = nl >= 0 ? out.substring(0, nl) : out;
            if (code.equals("200") && body.contains(needle)) {
                return body;
            }
            last = code + " " + body;
            Thread.sleep(250);
        }
        throw new AssertionError("no '" + needle + "' from " + url + " in " + seconds + " s; last: " + last
                + "\nlog:\n" + owner.log());
    }
}
