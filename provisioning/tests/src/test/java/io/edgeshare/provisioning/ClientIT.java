package io.edgeshare.provisioning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * {@code ./edgeshare client} against two real gateways started by ./edgeshare (no platform needed): resumed
 * downloads, a corrupt copy rejected, a live channel recorded and decoded by ffprobe, exit codes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientIT {
    private Path tmp;
    private Runtime near;
    private Runtime far;
    private String nearUrl;
    private String farUrl;

    @BeforeAll
    void startGateways() throws Exception {
        tmp = Files.createTempDirectory("edgeshare-client-it");
        int nowhere = Runtime.freePort(); // no platform: the gateways serve people nearby on their own
        int nearHttp = Runtime.freePort();
        int farHttp = Runtime.freePort();
        music(tmp.resolve("near"));
        music(tmp.resolve("far"));
        near = Runtime.start(tmp.resolve("near"), "gateway", "--http-port", String.valueOf(nearHttp), "--platform",
                "tcp://127.0.0.1:" + nowhere, "--id", "gw-near", "--name", "Near kiosk");
        far = Runtime.start(tmp.resolve("far"), "gateway", "--http-port", String.valueOf(farHttp), "--platform",
                "tcp://127.0.0.1:" + nowhere, "--id", "gw-far", "--name", "Far cafe");
        nearUrl = "http://127.0.0.1:" + nearHttp;
        farUrl = "http://127.0.0.1:" + farHttp;
        DistributionIT.awaitBody(near, nearUrl + "/api/audio/main", "\"ready\":true", 90);
        DistributionIT.awaitBody(far, farUrl + "/api/status", "gw-far", 90);
    }

    @AfterAll
    void stopGateways() throws Exception {
        if (near != null) {
            near.close();
        }
        if (far != null) {
            far.close();
        }
    }

    @Test
    void anInterruptedDownloadResumesWhereItStoppedAndIsVerified() throws Exception {
        byte[] bytes = random(6 * 1024 * 1024 + 11, 1);
        String id = importInto(nearUrl, bytes, "resume.bin");
        Path out = tmp.resolve("resume.bin");
        Path part = tmp.resolve("resume.bin.part");
        Process slow = client("-g", nearUrl, "get", id, "-o", out.toString(), "--limit-rate", "1000000").start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (size(part) < 1024 * 1024 && System.nanoTime() < deadline && slow.isAlive()) {
            Thread.sleep(50); // poll interval, bounded by the deadline
        }
        slow.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // kill -9 mid-transfer
        long kept = size(part);
        assertTrue(kept >= 1024 * 1024 && kept < bytes.length, "partial file after the kill: " + kept);
        assertFalse(Files.exists(out), "an unverified file must not appear under the final name");

        // the killed transfer ends on the gateway once its next write fails; count from then on
        DistributionIT.awaitBody(near, nearUrl + "/api/status", "\"downloads.active\":0", 20);
        long servedBefore = bytesServed(nearUrl);
        Result r = run("-g", nearUrl, "get", id, "-o", out.toString());
        assertEquals(0, r.code, r.err);
        assertEquals(bytes.length - kept, bytesServed(nearUrl) - servedBefore, "the gateway sent only the rest");
        Matcher m = Pattern.compile("resuming at byte (\\d+) of").matcher(r.err);
        assertTrue(m.find(), r.err);
        assertEquals(kept, Long.parseLong(m.group(1)), "resumed from what was kept");
        assertArrayEquals(bytes, Files.readAllBytes(out));
        assertFalse(Files.exists(part));
    }

    @Test
    void aCorruptCopyIsRejectedAndTheNextSharerTried() throws Exception {
        byte[] bytes = random(2 * 1024 * 1024 + 3, 2);
        String id = importInto(nearUrl, bytes, "twice.bin");
        assertEquals(id, importInto(farUrl, bytes, "twice.bin"));
        corrupt(tmp.resolve("near"), sha256(bytes));
        Path out = tmp.resolve("twice.bin");

        Result r = run("-g", nearUrl, "get", id, "--from", farUrl, "-o", out.toString());
        assertEquals(0, r.code, r.err);
        assertTrue(r.err.contains("rejected the copy from Near kiosk"), r.err);
        assertTrue(r.out.contains("from Far cafe"), r.out);
        assertArrayEquals(bytes, Files.readAllBytes(out));
    }

    @Test
    void whenEveryCopyIsCorruptNothingIsKeptAndTheExitCodeIs5() throws Exception {
        byte[] bytes = random(1024 * 1024 + 5, 3);
        String id = importInto(nearUrl, bytes, "bad.bin");
        importInto(farUrl, bytes, "bad.bin");
        corrupt(tmp.resolve("near"), sha256(bytes));
        corrupt(tmp.resolve("far"), sha256(bytes));
        Path out = tmp.resolve("bad.bin");

        Result r = run("-g", nearUrl, "get", id, "--from", farUrl, "-o", out.toString());
        assertEquals(5, r.code, r.err);
        assertFalse(Files.exists(out));
        assertFalse(Files.exists(tmp.resolve("bad.bin.part")));
        assertEquals(1, r.err.lines().filter(l -> l.startsWith("edgeshare client:")).count(), r.err);
    }

    @Test
    void listeningForTenSecondsGivesAudioFfprobeDecodes() throws Exception {
        Path live = tmp.resolve("live.mp3");
        Result r = run("-g", nearUrl, "listen", "main", "--seconds", "10", "-o", live.toString());
        assertEquals(0, r.code, r.err);
        Process probe = new ProcessBuilder("ffprobe", "-v", "error", "-show_entries",
                "stream=codec_name,sample_rate:format=duration", "-of", "json", live.toString()).start();
        String json = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(probe.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, probe.exitValue(), json);
        JsonObject info = JsonParser.parseString(json).getAsJsonObject();
        assertEquals("mp3", info.getAsJsonArray("streams").get(0).getAsJsonObject().get("codec_name").getAsString());
        double seconds = info.getAsJsonObject("format").get("duration").getAsDouble();
        assertTrue(seconds >= 8, "decoded duration " + seconds);
        Process decode = new ProcessBuilder("ffmpeg", "-nostdin", "-v", "error", "-i", live.toString(), "-f", "null",
                "-").redirectErrorStream(true).start();
        String errors = new String(decode.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(decode.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, decode.exitValue(), errors);
    }

    @Test
    void aRequestedSongIsQueued() throws Exception {
        Result r = run("-g", nearUrl, "request", "cafe", "noir");
        assertEquals(0, r.code, r.err);
        assertTrue(r.out.contains("queued at position") && r.out.contains("Cafe Noir"), r.out);
    }

    @Test
    void searchFindsAnItemByAWordOfItsTitle() throws Exception {
        String id = importInto(farUrl, random(300_000, 4), "Beach volley final.mp4");
        Result r = run("-g", farUrl, "search", "-q", "VOLLEY");
        assertEquals(0, r.code, r.err);
        assertEquals(List.of(id), r.out.lines().toList());
    }

    @Test
    void anItemNobodyHoldsExits3() throws Exception {
        Result r = run("-g", nearUrl, "get", "0123456789abcdef0123456789abcdef", "--from", farUrl);
        assertEquals(3, r.code, r.err);
        assertTrue(r.err.strip().endsWith("edgeshare client: no sharer holds item 0123456789abcdef0123456789abcdef"),
                r.err);
    }

    @Test
    void aSongNobodyHasExits3() throws Exception {
        assertEquals(3, run("-g", nearUrl, "request", "no such song anywhere").code);
    }

    @Test
    void anUnknownChannelExits3() throws Exception {
        assertEquals(3, run("-g", nearUrl, "listen", "nope", "--seconds", "1", "-o", tmp.resolve("x").toString()).code);
    }

    @Test
    void aGatewayThatIsDownExits4() throws Exception {
        Result r = run("-g", "http://127.0.0.1:" + Runtime.freePort(), "ls");
        assertEquals(4, r.code, r.err);
        assertEquals(1, r.err.strip().lines().count(), r.err);
    }

    @Test
    void aWrongCommandLineExits2() throws Exception {
        assertEquals(2, run("get").code);
    }

    // --- helpers

    private record Result(int code, String out, String err) {
    }

    private ProcessBuilder client(String... args) {
        Path root = Path.of(System.getProperty("edgeshare.root"));
        List<String> cmd = new ArrayList<>(List.of("bash", root.resolve("edgeshare").toString(), "client"));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).directory(tmp.toFile()).redirectErrorStream(false)
                .redirectError(tmp.resolve("client-" + System.nanoTime() + ".err").toFile());
    }

    private Result run(String... args) throws Exception {
        Path err = tmp.resolve("client-" + System.nanoTime() + ".err");
        ProcessBuilder pb = client(args).redirectError(err.toFile());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "client did not finish");
        return new Result(p.exitValue(), out, Files.readString(err));
    }

    /** The gateway's own count of bytes it served (its cache telemetry in /api/status). */
    private static long bytesServed(String gateway) throws Exception {
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(gateway + "/api/status"))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        return JsonParser.parseString(body).getAsJsonObject().getAsJsonObject("sources").getAsJsonObject("cache")
                .getAsJsonObject("metrics").get("bytes.served").getAsLong();
    }

    private static String importInto(String gateway, byte[] bytes, String title) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(gateway
                + "/api/cache/import?title=" + java.net.URLEncoder.encode(title, StandardCharsets.UTF_8)
                + "&category=video")).POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(r.statusCode() == 201 || r.statusCode() == 200, r.body());
        return JsonParser.parseString(r.body()).getAsJsonObject().get("id").getAsString();
    }

    /** Flips bytes in the middle of the gateway's stored copy (the catalog still lists the right SHA-256). */
    private static void corrupt(Path instance, String sha) throws IOException {
        Path blob;
        try (Stream<Path> files = Files.walk(instance.resolve("data"))) {
            blob = files.filter(f -> f.getFileName().toString().equals(sha)).findFirst()
                    .orElseThrow(() -> new AssertionError("no stored copy " + sha + " under " + instance));
        }
        try (RandomAccessFile f = new RandomAccessFile(blob.toFile(), "rw")) {
            f.seek(f.length() / 2);
            int b = f.read();
            f.seek(f.length() / 2);
            f.write(b ^ 0xff);
        }
    }

    private static void music(Path instance) throws Exception {
        Path dir = instance.resolve("data/music");
        Files.createDirectories(dir);
        Process p = new ProcessBuilder("ffmpeg", "-nostdin", "-loglevel", "error", "-f", "lavfi", "-i",
                "sine=frequency=330:duration=20", "-ac", "2", "-ar", "44100", "-b:a", "128k", "-metadata",
                "title=Cafe Noir", "-metadata", "artist=Trio Demo", dir.resolve("01.mp3").toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, out);
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static String sha256(byte[] b) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
    }

    private static long size(Path p) throws IOException {
        return Files.exists(p) ? Files.size(p) : 0;
    }
}
