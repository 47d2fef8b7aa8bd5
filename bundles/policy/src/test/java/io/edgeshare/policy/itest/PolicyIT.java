package io.edgeshare.policy.itest;

import static io.edgeshare.testsupport.EdgeShareOptions.accessPoint;
import static io.edgeshare.testsupport.EdgeShareOptions.assertAllBundlesActive;
import static io.edgeshare.testsupport.EdgeShareOptions.bundleUnderTest;
import static io.edgeshare.testsupport.EdgeShareOptions.core;
import static io.edgeshare.testsupport.EdgeShareOptions.freePort;
import static io.edgeshare.testsupport.EdgeShareOptions.gson;
import static io.edgeshare.testsupport.EdgeShareOptions.http;
import static io.edgeshare.testsupport.EdgeShareOptions.httpPort;
import static io.edgeshare.testsupport.EdgeShareOptions.ourBundle;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;

import io.edgeshare.api.ap.AccessPoint;
import io.edgeshare.api.ap.AccessPointStatus;
import io.edgeshare.api.policy.PolicyListener;
import io.edgeshare.api.policy.PolicyService;
import io.edgeshare.api.policy.PolicyState;
import io.edgeshare.api.telemetry.TelemetrySnapshot;
import io.edgeshare.api.telemetry.TelemetrySource;

/**
 * The policy bundle in Felix with the real cache and audio bundles: a signed policy applied through
 * ConfigAdmin while a download and a listener keep going, every kind of rejection, a revert after a failed
 * health check, the policy's keys put back after another writer replaced a configuration, and the last
 * known good policy restored when the bundle restarts.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PolicyIT {
    private static final String AUDIO_PID = "edgeshare.audio.channel";

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configAdmin;

    @Configuration
    public Option[] config() throws IOException {
        Path instance = Files.createTempDirectory("edgeshare-policy-it");
        return options(core(), http(freePort()), gson(), ourBundle("api"), ourBundle("protocol"), ourBundle("cache"), ourBundle("audio"),
                accessPoint(), bundleUnderTest(), systemProperty("edgeshare.instance.dir").value(instance.toString()));
    }

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    public void signedPoliciesApplyHotRejectRevertAndSurviveARestart() throws Exception {
        assertAllBundlesActive(context);
        Path instance = Path.of(context.getProperty("edgeshare.instance.dir"));
        KeyPair platform = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        update("edgeshare.identity", "device.id", "gw-it");
        update("edgeshare.policy", "platform.public.key",
                Base64.getEncoder().encodeToString(platform.getPublic().getEncoded()), "health.timeout.ms", 3000);
        update("edgeshare.uplink", "broker.uri", "tcp://127.0.0.1:1", "report.interval.s", "30");
        update("edgeshare.ap", "backend", "simulated", "mdns.enabled", false);
        Path music = instance.resolve("music");
        Files.createDirectories(music);
        tone(music.resolve("a.mp3"), 440, 20);
        org.osgi.service.cm.Configuration channel = configAdmin.getFactoryConfiguration(AUDIO_PID, "main", "?");
        Dictionary<String, Object> ch = new Hashtable<>();
        ch.put("id", "main");
        ch.put("playlist", music.toString());
        channel.update(ch);

        List<PolicyState> told = new ArrayList<>();
        context.registerService(PolicyListener.class, s -> {
            synchronized (told) {
                told.add(s);
            }
        }, null);
        PolicyService policy = service(PolicyService.class);
        awaitTrue(() -> get("/api/audio/main").body().contains("\"ready\":true"), "the audio channel");
        assertEquals(0, policy.state().runningGeneration());

        // generation 1: rate limit the downloads so one is still running when generation 2 arrives
        PolicyState s1 = policy.offer(sign(platform, policy(1, 400_000, 10)));
        assertEquals(s1.reason(), "applied", s1.lastOutcome());
        org.osgi.service.cm.Configuration cache = configAdmin.getConfiguration("edgeshare.cache", "?");
        assertEquals(400_000L, cache.getProperties().get("client.rate.bytes.per.s"));
        assertEquals(1L, cache.getProperties().get("edgeshare.policy.generation"));
        assertEquals("capped", channel.getProperties().get("admission.mode"));
        assertEquals(15, configAdmin.getConfiguration("edgeshare.uplink", "?").getProperties()
                .get("report.interval.s"));
        assertEquals("Mall Free WiFi", configAdmin.getConfiguration("edgeshare.ap", "?").getProperties().get("ssid"));
        AccessPointStatus ap = service(AccessPoint.class).status();
        assertEquals(ap.toString(), 1, ap.appliedGeneration());
        assertEquals("Mall Free WiFi", ap.ssid());
        assertEquals("wpa2-psk", ap.security());
        assertEquals("tcp://127.0.0.1:1", configAdmin.getConfiguration("edgeshare.uplink", "?").getProperties()
                .get("broker.uri"));

        // a listener and a download in flight across generation 2
        byte[] clip = new byte[1_600_000];
        for (int i = 0; i < clip.length; i++) {
            clip[i] = (byte) (i * 31 + (i >> 10));
        }
        HttpResponse<String> imported = client.send(HttpRequest.newBuilder(URI.create(base()
                + "/api/cache/import?title=clip.mp4&category=video")).POST(HttpRequest.BodyPublishers.ofByteArray(clip))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(imported.body(), 201, imported.statusCode());
        String id = sha256(clip).substring(0, 32);
        Listener listener = new Listener(base() + "/audio/main");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        Future<?> listening = pool.submit(listener);
        awaitTrue(() -> listener.bytes.get() > 20_000, "the listener to receive audio");
        long servedBefore = served();
        Future<HttpResponse<byte[]>> download = pool.submit(() -> client.send(HttpRequest.newBuilder(
                URI.create(base() + "/content/" + id)).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofByteArray()));
        awaitTrue(() -> served() > servedBefore, "the download to be under way");
        long t0 = System.nanoTime();
        PolicyState s2 = policy.offer(sign(platform, policy(2, 400_000, 20)));
        long applyMs = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(s2.reason(), "applied", s2.lastOutcome());
        assertEquals(2, s2.runningGeneration());
        assertEquals(20, channel.getProperties().get("max.listeners"));
        assertTrue("download still running during the swap", !download.isDone());
        long heard = listener.bytes.get();
        awaitTrue(() -> listener.bytes.get() > heard + 32_000, "the listener to keep receiving after the swap");
        HttpResponse<byte[]> done = download.get(30, TimeUnit.SECONDS);
        assertEquals(200, done.statusCode());
        assertArrayEquals("the download in flight survived the policy change", clip, done.body());
        assertNull("the listener was never cut off", listener.failure);
        listener.stop = true;
        listening.get(10, TimeUnit.SECONDS);
        pool.shutdown();
        System.out.println("policy IT: generation 2 applied (incl. health check) in " + applyMs + " ms");
        String watched = telemetry("policy").labels().get("health.watched");
        System.out.println("policy IT: health check watched " + watched);
        assertTrue(watched, watched.contains("io.edgeshare.cache.internal.ContentCache (edgeshare.cache)"));
        assertTrue(watched, watched.contains("io.edgeshare.audio.internal.FifoAudioChannel (edgeshare.audio.channel~main)"));

        // rejections leave generation 2 running
        String payload3 = Base64.getEncoder().encodeToString(policy(3, 1, 1).getBytes(StandardCharsets.UTF_8));
        assertRejected(policy.offer(("{\"format\":\"edgeshare-policy/1\",\"payload\":\"" + payload3 + "\"}")
                .getBytes(StandardCharsets.UTF_8)), "unsigned: ");
        KeyPair stranger = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        assertRejected(policy.offer(sign(stranger, policy(3, 1, 1))), "bad-signature: ");
        assertRejected(policy.offer(sign(platform, policy(1, 1, 1))), "older: ");
        assertRejected(policy.offer("{]".getBytes(StandardCharsets.UTF_8)), "malformed: ");
        assertRejected(policy.offer(sign(platform, policy(3, -5, 1))), "invalid: sharing.clientRateBytesPerSecond");
        assertEquals(400_000L, cache.getProperties().get("client.rate.bytes.per.s"));
        assertEquals(2L, cache.getProperties().get("edgeshare.policy.generation"));

        // a health check that fails: every configuration goes back to generation 2
        update("edgeshare.policy", "platform.public.key",
                Base64.getEncoder().encodeToString(platform.getPublic().getEncoded()), "health.timeout.ms", 500,
                "health.required.services", new String[] { "(objectClass=no.such.Service)" });
        Thread.sleep(300);
        PolicyState s5 = policy.offer(sign(platform, policy(5, 123_456, 7)));
        assertEquals(s5.reason(), "reverted", s5.lastOutcome());
        assertTrue(s5.reason(), s5.reason().startsWith("health-failed: not healthy 500 ms after the change: "
                + "no service matches (objectClass=no.such.Service)"));
        assertEquals(2, s5.runningGeneration());
        awaitTrue(() -> Long.valueOf(400_000L).equals(cache.getProperties().get("client.rate.bytes.per.s")),
                "the cache configuration reverted");
        assertEquals(20, channel.getProperties().get("max.listeners"));
        assertEquals(2L, cache.getProperties().get("edgeshare.policy.generation"));
        update("edgeshare.policy", "platform.public.key",
                Base64.getEncoder().encodeToString(platform.getPublic().getEncoded()), "health.timeout.ms", 3000);

        // another writer (FileInstall reloading etc/) replaces the uplink configuration: the policy's key returns
        update("edgeshare.uplink", "broker.uri", "tcp://127.0.0.1:2", "report.interval.s", "30");
        awaitTrue(() -> Integer.valueOf(15).equals(configAdmin.getConfiguration("edgeshare.uplink", "?")
                .getProperties().get("report.interval.s")), "report.interval.s put back");
        assertEquals("tcp://127.0.0.1:2", configAdmin.getConfiguration("edgeshare.uplink", "?").getProperties()
                .get("broker.uri"));

        // telemetry
        TelemetrySnapshot t = telemetry("policy");
        assertEquals(2L, t.metrics().get("generation.running"));
        assertEquals(5L, t.metrics().get("rejected"));
        assertEquals(1L, t.metrics().get("reverted"));
        assertEquals("reverted", t.labels().get("outcome"));
        synchronized (told) {
            assertTrue(told.size() >= 8);
        }

        // persisted, and restored when the bundle (or the gateway) restarts
        assertTrue(Files.isRegularFile(instance.resolve("data/policy/policy.json")));
        Bundle bundle = bundle("io.edgeshare.policy");
        bundle.stop();
        // while it is stopped, the cache configuration loses the policy's keys (an operator's file reloaded)
        Dictionary<String, Object> wiped = new Hashtable<>();
        wiped.put("quota.bytes", 5_000_000_000L);
        cache.update(wiped);
        awaitTrue(() -> cache.getProperties().get("client.rate.bytes.per.s") == null, "the wipe");
        bundle.start();
        PolicyService restarted = service(PolicyService.class);
        awaitTrue(() -> restarted.state().runningGeneration() == 2
                && Long.valueOf(400_000L).equals(cache.getProperties().get("client.rate.bytes.per.s")),
                "generation 2 restored after the restart");
        assertEquals("reverted", restarted.state().lastOutcome());
        assertEquals(5, restarted.state().lastOffered());
        // and the generations spent before the restart stay spent
        assertRejected(restarted.offer(sign(platform, policy(5, 1000, 1))), "replayed: ");
        assertEquals("applied", restarted.offer(sign(platform, policy(6, 0, 30))).lastOutcome());
    }

    private static void assertRejected(PolicyState s, String prefix) {
        assertEquals(s.reason(), "rejected", s.lastOutcome());
        assertTrue(s.reason() + " should start with " + prefix, s.reason().startsWith(prefix));
        assertEquals(2, s.runningGeneration());
    }

    static String policy(long g, long rate, int listeners) {
        return """
                {"schema":1,"generation":%d,"expiresAt":"2099-12-31T00:00:00Z","targets":["gw-it"],
                 "sharing":{"enabled":true,"categories":["video","audio"],"maxItemBytes":104857600,
                            "clientRateBytesPerSecond":%d,"maxConcurrentDownloads":32},
                 "cache":{"quotaBytes":1000000000},
                 "ap":{"ssid":"Mall Free WiFi","security":"wpa2-psk","passphrase":"correct horse","maxStations":64},
                 "audio":{"maxListeners":%d,"admission":"capped","breaksEvery":0},
                 "reporting":{"intervalSeconds":15}}
                """.formatted(g, rate, listeners);
    }

    static byte[] sign(KeyPair kp, String payload) throws Exception {
        byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(kp.getPrivate());
        s.update(bytes);
        return ("{\"format\":\"edgeshare-policy/1\",\"payload\":\"" + Base64.getEncoder().encodeToString(bytes)
                + "\",\"signature\":\"" + Base64.getEncoder().encodeToString(s.sign()) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Reads a live audio stream until told to stop, counting bytes; records how it ended if it ended early. */
    static final class Listener implements Callable<Void> {
        final String url;
        final AtomicLong bytes = new AtomicLong();
        volatile boolean stop;
        volatile String failure;

        Listener(String url) {
            this.url = url;
        }

        @Override
        public Void call() {
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
                c.setReadTimeout(5000);
                try (InputStream in = c.getInputStream()) {
                    byte[] buf = new byte[8192];
                    int n;
                    while (!stop && (n = in.read(buf)) > 0) {
                        bytes.addAndGet(n);
                    }
                    if (!stop) {
                        failure = "stream ended after " + bytes.get() + " bytes";
                    }
                } finally {
                    c.disconnect();
                }
            } catch (IOException e) {
                if (!stop) {
                    failure = e.toString();
                }
            }
            return null;
        }
    }

    private void update(String pid, Object... kv) throws IOException {
        Dictionary<String, Object> d = new Hashtable<>();
        for (int i = 0; i + 1 < kv.length; i += 2) {
            d.put((String) kv[i], kv[i + 1]);
        }
        configAdmin.getConfiguration(pid, "?").update(d);
    }

    private <T> T service(Class<T> type) throws InterruptedException {
        ServiceTracker<T, T> tracker = new ServiceTracker<>(context, type, null);
        tracker.open();
        T s = tracker.waitForService(10_000);
        assertNotNull("no " + type.getName(), s);
        return s;
    }

    private long served() throws Exception {
        return telemetry("cache").metrics().get("bytes.served").longValue();
    }

    private TelemetrySnapshot telemetry(String name) throws Exception {
        for (ServiceReference<TelemetrySource> r : context.getServiceReferences(TelemetrySource.class, null)) {
            TelemetrySource s = context.getService(r);
            if (s.name().equals(name)) {
                return s.snapshot();
            }
        }
        throw new AssertionError("no telemetry source " + name);
    }

    private Bundle bundle(String bsn) {
        for (Bundle b : context.getBundles()) {
            if (bsn.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError("no bundle " + bsn);
    }

    private String base() {
        return "http://127.0.0.1:" + httpPort(context);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void awaitTrue(Callable<Boolean> condition, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (condition.call()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("timed out waiting for " + what);
    }

    private static String sha256(byte[] b) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
    }

    private static void tone(Path file, int hz, int seconds) throws Exception {
        Process p = new ProcessBuilder("ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i",
                "sine=frequency=" + hz + ":sample_rate=44100:duration=" + seconds, "-ac", "2", "-c:a", "libmp3lame",
                "-b:a", "128k", file.toString()).redirectErrorStream(true).start();
        p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("ffmpeg failed for " + file);
        }
    }
}
