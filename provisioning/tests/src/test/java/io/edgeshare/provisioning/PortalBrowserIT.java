package io.edgeshare.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * A guest's phone, played by headless Chromium: a platform and two gateways 170 m apart started by
 * ./edgeshare; on gw-louvre's portal the guest sees gw-rivoli (by its name) in the Nearby card, searches for an item, sees
 * that rivoli holds it too, downloads it (SHA-256 checked in the browser), starts the live channel and hears
 * it advance. Screenshots at 390 px, at desktop width and of the captive landing go to
 * target/screenshots/.
 */
class PortalBrowserIT {
    private static final Path SHOTS = Path.of("target", "screenshots");

    @Test
    void aGuestSeesANearbySharerFindsDownloadsAndListens(@TempDir Path tmp) throws Exception {
        int platformHttp = Runtime.freePort();
        int mqtt = Runtime.freePort();
        int http1 = Runtime.freePort();
        int http2 = Runtime.freePort();
        String louvre = "http://127.0.0.1:" + http1;
        String rivoli = "http://127.0.0.1:" + http2;
        writeMusic(tmp.resolve("louvre"));
        try (Runtime platform = Runtime.start(tmp.resolve("platform"), "platform", "--http-port",
                String.valueOf(platformHttp), "--mqtt-port", String.valueOf(mqtt))) {
            DistributionIT.awaitBody(platform, "http://127.0.0.1:" + platformHttp + "/api/gateways",
                    "\"connected\":true", 90, DistributionIT.operatorToken(tmp.resolve("platform")));
            String platformApi = "http://127.0.0.1:" + platformHttp;
            String tokenFile = DistributionIT.tokenFile(tmp.resolve("platform"));
            try (Runtime gw1 = Runtime.start(tmp.resolve("louvre"), "gateway", "--http-port", String.valueOf(http1),
                    "--platform", "tcp://127.0.0.1:" + mqtt, "--id", "gw-louvre", "--name", "Louvre kiosk",
                    "--location", "48.86110,2.33590", "--enrol-at", platformApi, "--operator-token-file", tokenFile);
                    Runtime gw2 = Runtime.start(tmp.resolve("rivoli"), "gateway", "--http-port", String.valueOf(http2),
                            "--platform", "tcp://127.0.0.1:" + mqtt, "--id", "gw-rivoli", "--name",
                            "Rue de Rivoli cafe", "--location", "48.86190,2.33790", "--enrol-at", platformApi,
                            "--operator-token-file", tokenFile)) {
                DistributionIT.awaitBody(gw1, louvre + "/api/audio/main", "\"ready\":true", 90);
                DistributionIT.awaitBody(gw2, rivoli + "/api/status", "gw-rivoli", 90);
                byte[] clip = ClientIT.random(700_000, 7);
                String id = importInto(louvre, clip, "Holiday clip.mp4", "video");
                importInto(louvre, ClientIT.random(400_000, 8), "Concert encore.mp4", "video");
                importInto(rivoli, clip, "Holiday clip.mp4", "video");
                // the platform pushes rivoli, holding the clip, to louvre
                DistributionIT.awaitBody(gw1, louvre + "/api/portal/nearby", id, 90);

                try (Chromium browser = Chromium.start()) {
                    browser.viewport(390, 844, true);
                    browser.navigate(louvre + "/");
                    // the sharer shows by its display name, which its birth and the platform's list carry
                    browser.waitFor("!document.getElementById('nearby').hidden && document.getElementById('sharers')"
                            + ".innerText.includes('Rue de Rivoli cafe')", 20);
                    assertTrue(text(browser, "#sharers").contains("via the platform"), text(browser, "#sharers"));

                    browser.eval("(() => { const q = document.getElementById('q'); q.value = 'holiday';"
                            + " q.dispatchEvent(new Event('input')); return true; })()");
                    browser.waitFor("document.querySelectorAll('#items li[data-id]').length === 1", 20);
                    String item = text(browser, "#items");
                    assertTrue(item.contains("Holiday clip.mp4") && item.contains("Also nearby: Rue de Rivoli cafe"),
                            item);
                    assertEquals(390L, browser.eval("document.documentElement.scrollWidth").getAsLong(),
                            "nothing wider than the phone");
                    browser.screenshot(SHOTS.resolve("portal-390px.png"));

                    JsonElement digest = browser.eval("(async () => { const a = document.querySelector("
                            + "'#items li[data-id] a.button'); const b = await (await fetch(a.href)).arrayBuffer();"
                            + " const h = await crypto.subtle.digest('SHA-256', b); return [...new Uint8Array(h)]"
                            + ".map(x => x.toString(16).padStart(2, '0')).join(''); })()");
                    assertEquals(ClientIT.sha256(clip), digest.getAsString(), "the downloaded bytes");

                    browser.eval("[...document.querySelectorAll('#channels button')].find(b => b.textContent === "
                            + "'Listen').click() || true");
                    browser.waitFor("document.getElementById('player').currentTime > 0.5", 30);
                    browser.eval("window.firstTime = document.getElementById('player').currentTime");
                    browser.waitFor("document.getElementById('player').currentTime > window.firstTime + 2", 30);

                    browser.viewport(1280, 900, false);
                    browser.eval("document.getElementById('player').pause() || true");
                    browser.screenshot(SHOTS.resolve("portal-desktop.png"));

                    browser.viewport(390, 844, true);
                    browser.navigate(louvre + "/generate_204");
                    browser.waitFor("location.pathname === '/welcome' && document.getElementById('welcome')"
                            + ".textContent.includes('Louvre kiosk')", 20);
                    browser.screenshot(SHOTS.resolve("captive-landing-390px.png"));
                }
            }
        }
    }

    private static String text(Chromium browser, String selector) throws Exception {
        return browser.eval("document.querySelector('" + selector + "').innerText").getAsString();
    }

    private static String importInto(String gateway, byte[] bytes, String title, String category) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(gateway
                + "/api/cache/import?title=" + java.net.URLEncoder.encode(title, StandardCharsets.UTF_8)
                + "&category=" + category)).POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(r.statusCode() == 201 || r.statusCode() == 200, r.body());
        JsonObject item = JsonParser.parseString(r.body()).getAsJsonObject();
        return item.get("id").getAsString();
    }

    private static void writeMusic(Path instance) throws Exception {
        Path dir = instance.resolve("data/music");
        Files.createDirectories(dir);
        Process p = new ProcessBuilder("ffmpeg", "-nostdin", "-loglevel", "error", "-f", "lavfi", "-i",
                "sine=frequency=392:duration=30", "-ac", "2", "-ar", "44100", "-b:a", "128k", "-metadata",
                "title=Delta", dir.resolve("01.mp3").toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, out);
    }
}
