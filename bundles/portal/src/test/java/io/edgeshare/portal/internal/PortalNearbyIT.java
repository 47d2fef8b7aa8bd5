package io.edgeshare.portal.internal;

import static io.edgeshare.testsupport.EdgeShareOptions.assertAllBundlesActive;
import static io.edgeshare.testsupport.EdgeShareOptions.bundleUnderTest;
import static io.edgeshare.testsupport.EdgeShareOptions.core;
import static io.edgeshare.testsupport.EdgeShareOptions.freePort;
import static io.edgeshare.testsupport.EdgeShareOptions.gson;
import static io.edgeshare.testsupport.EdgeShareOptions.http;
import static io.edgeshare.testsupport.EdgeShareOptions.httpPort;
import static io.edgeshare.testsupport.EdgeShareOptions.ourBundle;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

import javax.inject.Inject;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import io.edgeshare.api.ap.NearbySharer;
import io.edgeshare.api.ap.NearbySharers;
import io.edgeshare.api.cache.ContentCatalog;
import io.edgeshare.api.cache.ContentItem;
import io.edgeshare.testsupport.EdgeShareOptions;

/**
 * The portal's Nearby, shared-items and captive endpoints in Felix with the real HTTP whiteboard, fed by
 * NearbySharers and ContentCatalog services registered the way the uplink and the cache register theirs.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PortalNearbyIT {
    private static final String CLIP = "c1ip";
    private static final String SONG = "s0ng";

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configAdmin;

    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Configuration
    public Option[] config() {
        return options(core(), http(freePort()), gson(), ourBundle("api"), bundleUnderTest());
    }

    @Before
    public void services() throws Exception {
        assertAllBundlesActive(context);
        NearbySharers nearby = () -> List.of(
                new NearbySharer("gw-far", "Far cafe", "", "http://10.0.0.9:8081", 900, List.of(CLIP),
                        Set.of("platform"), Instant.now()),
                new NearbySharer("gw-evil", "<img src=x onerror=alert(1)>", "", "javascript:alert(1)", 20,
                        List.of(CLIP), Set.of("mdns"), null),
                new NearbySharer("gw-near", "Near kiosk", "", "http://10.0.0.2:8081/", 120, List.of(CLIP, SONG),
                        Set.of("platform", "radio"), Instant.now()));
        ContentCatalog catalog = new ContentCatalog() {
            @Override
            public List<ContentItem> items() {
                return List.of(new ContentItem(CLIP, "Holiday clip.mp4", "video/mp4", 1000, "a".repeat(64), "video",
                        Instant.now()), new ContentItem(SONG, "Café Noir.mp3", "audio/mpeg", 500, "b".repeat(64),
                                "music", Instant.now()));
            }

            @Override
            public long revision() {
                return 3;
            }
        };
        registrations.add(context.registerService(NearbySharers.class, nearby, null));
        registrations.add(context.registerService(ContentCatalog.class, catalog, null));
        await("/api/portal/items", o -> o.get("available").getAsBoolean() && o.get("total").getAsInt() == 2);
    }

    @After
    public void unregister() {
        registrations.forEach(ServiceRegistration::unregister);
    }

    @Test
    public void nearbyListsSharersNearestFirstWithHowTheyWereFound() throws Exception {
        JsonObject body = await("/api/portal/nearby", o -> o.get("count").getAsInt() == 3);
        JsonArray sharers = body.getAsJsonArray("sharers");
        assertEquals("gw-evil", sharers.get(0).getAsJsonObject().get("deviceId").getAsString());
        JsonObject near = sharers.get(1).getAsJsonObject();
        assertEquals("Near kiosk", near.get("name").getAsString());
        assertEquals(120, near.get("distanceM").getAsInt());
        assertEquals("http://10.0.0.2:8081/", near.get("portalUrl").getAsString());
        assertEquals(List.of("platform", "radio"), strings(near.getAsJsonArray("sources")));
        assertEquals(2, near.get("items").getAsInt());
    }

    @Test
    public void aSharerWhoseUrlIsNotHttpGetsNoLink() throws Exception {
        JsonObject evil = await("/api/portal/nearby", o -> o.get("count").getAsInt() == 3).getAsJsonArray("sharers")
                .get(0).getAsJsonObject();
        assertTrue(evil.get("portalUrl").isJsonNull());
        assertEquals("<img src=x onerror=alert(1)>", evil.get("name").getAsString());
    }

    @Test
    public void eachItemNamesTheNearestSharersThatAlsoHoldIt() throws Exception {
        JsonObject clip = item(await("/api/portal/items", o -> true), CLIP);
        List<String> holders = new ArrayList<>();
        clip.getAsJsonArray("alsoNearby").forEach(h -> holders.add(h.getAsJsonObject().get("deviceId").getAsString()));
        assertEquals(List.of("gw-evil", "gw-near", "gw-far"), holders);
        JsonObject near = clip.getAsJsonArray("alsoNearby").get(1).getAsJsonObject();
        assertEquals("http://10.0.0.2:8081/content/" + CLIP, near.get("url").getAsString());
        assertTrue(clip.getAsJsonArray("alsoNearby").get(0).getAsJsonObject().get("url").isJsonNull());
    }

    @Test
    public void searchAndCategoryFilterTheList() throws Exception {
        JsonObject found = get("/api/portal/items?q=" + URLEncoder.encode("cafe", StandardCharsets.UTF_8));
        assertEquals(1, found.get("count").getAsInt());
        assertEquals(SONG, found.getAsJsonArray("items").get(0).getAsJsonObject().get("id").getAsString());
        JsonObject videos = get("/api/portal/items?category=video");
        assertEquals(1, videos.get("count").getAsInt());
        assertEquals(CLIP, videos.getAsJsonArray("items").get(0).getAsJsonObject().get("id").getAsString());
        assertEquals(List.of("music", "video"), strings(videos.getAsJsonArray("categories")));
    }

    @Test
    public void aBadFilterIsRefusedWithAJsonError() throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/api/portal/items?category=%3Cscript%3E")));
        assertEquals(400, r.statusCode());
        assertEquals("bad-request", JsonParser.parseString(r.body()).getAsJsonObject().get("error").getAsString());
    }

    @Test
    public void aStrangerCannotWrite() throws Exception {
        for (String path : List.of("/api/portal/items", "/api/portal/nearby", "/generate_204")) {
            // each stranger on a connection of its own: a refused POST leaves its body unread, so the server may
            // close that connection, and a client reusing it for the next POST reads EOF (seen once in CI)
            HttpClient stranger = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> r = stranger.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(5))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).header("Content-Type", "application/json")
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(path, 405, r.statusCode());
            assertEquals("method-not-allowed",
                    JsonParser.parseString(r.body()).getAsJsonObject().get("error").getAsString());
        }
    }

    @Test
    public void sharingSwitchedOffByPolicyIsSaidPlainly() throws Exception {
        org.osgi.service.cm.Configuration cache = configAdmin.getConfiguration("edgeshare.cache", "?");
        Dictionary<String, Object> off = new Hashtable<>();
        off.put("sharing.enabled", false);
        off.put("allowed.categories", new String[] {"none"});
        cache.update(off);
        try {
            JsonObject body = await("/api/portal/items",
                    o -> !o.getAsJsonObject("sharing").get("enabled").getAsBoolean());
            assertEquals("policy", body.getAsJsonObject("sharing").get("reason").getAsString());
        } finally {
            cache.delete();
        }
        await("/api/portal/nearby", o -> o.getAsJsonObject("sharing").get("enabled").getAsBoolean());
    }

    @Test
    public void phoneProbesAreRedirectedToTheLandingPage() throws Exception {
        for (String probe : List.of("/generate_204", "/hotspot-detect.html", "/connecttest.txt", "/ncsi.txt")) {
            HttpResponse<String> r = send(HttpRequest.newBuilder(uri(probe)));
            assertEquals(probe, 302, r.statusCode());
            assertTrue(probe, r.headers().firstValue("Location").orElse("").endsWith("/welcome"));
        }
    }

    @Test
    public void theLandingPageEscapesTheGatewayName() throws Exception {
        org.osgi.service.cm.Configuration identity = configAdmin.getConfiguration("edgeshare.identity", "?");
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("device.id", "gw-it");
        props.put("display.name", "Bob's <b>hotspot</b>");
        identity.update(props);
        try {
            String[] page = { "" };
            // the landing page says "hotspot" anyway: wait for the new name itself (escaped or not)
            EdgeShareOptions.await(Duration.ofSeconds(10), () -> {
                page[0] = send(HttpRequest.newBuilder(uri("/welcome"))).body();
                return page[0].contains("Bob");
            }, () -> "the new name never showed: " + page[0]);
            assertTrue(page[0], page[0].contains("Bob&#39;s &lt;b&gt;hotspot&lt;/b&gt;"));
            assertFalse(page[0], page[0].contains("<b>hotspot"));
        } finally {
            identity.delete();
        }
    }

    private JsonObject item(JsonObject items, String id) {
        for (JsonElement e : items.getAsJsonArray("items")) {
            if (e.getAsJsonObject().get("id").getAsString().equals(id)) {
                return e.getAsJsonObject();
            }
        }
        throw new AssertionError("no item " + id + " in " + items);
    }

    private static List<String> strings(JsonArray a) {
        List<String> out = new ArrayList<>();
        a.forEach(e -> out.add(e.getAsString()));
        return out;
    }

    /** GET until the answer satisfies the condition, for at most 10 s (services and configs arrive async). */
    private JsonObject await(String path, Predicate<JsonObject> condition) throws Exception {
        JsonObject[] last = { null };
        EdgeShareOptions.await(Duration.ofSeconds(10), () -> {
            HttpResponse<String> r = send(HttpRequest.newBuilder(uri(path)));
            if (r.statusCode() != 200) {
                return false;
            }
            last[0] = JsonParser.parseString(r.body()).getAsJsonObject();
            return condition.test(last[0]);
        }, () -> path + " never satisfied the condition; last answer " + last[0]);
        return last[0];
    }

    private JsonObject get(String path) throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri(path)));
        assertEquals(r.body(), 200, r.statusCode());
        return JsonParser.parseString(r.body()).getAsJsonObject();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + httpPort(context) + path);
    }

    private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return client.send(b.timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
