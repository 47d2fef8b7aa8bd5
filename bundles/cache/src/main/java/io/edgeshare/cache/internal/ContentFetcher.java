package io.edgeshare.cache.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import io.edgeshare.api.ap.NearbySharer;

/**
 * Gets items into the store: from nearby sharers first (verified against SHA-256, resumed after a broken
 * connection), then from the origin (revalidated with ETag/Last-Modified, stale copy served if the origin
 * fails). Concurrent requests for one item share one {@link Flight}.
 */
final class ContentFetcher {

    private static final Logger LOG = LoggerFactory.getLogger(ContentFetcher.class);
    private static final int CHUNK = 64 * 1024;
    private static final int PEER_ATTEMPTS = 4;
    private static final long MAX_FRESH_S = 365L * 24 * 3600;

    /**
     * What to acquire.
     *
     * @param id          item id
     * @param url         origin URL, or null when only peers can have it
     * @param title       title to record, or null (derived)
     * @param category    category to record, or null (from the media type)
     * @param pin         pin once admitted
     * @param expectedSha required SHA-256 (from a trusted list), or null
     */
    record Request(String id, String url, String title, String category, boolean pin, String expectedSha) {
    }

    private final DiskContentStore store;
    private final CacheTelemetry telemetry;
    private final HttpClient http;
    private final ExecutorService pool;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final Supplier<Settings> settings;
    private final Supplier<List<NearbySharer>> nearby;
    private final Map<String, Flight> flights = new ConcurrentHashMap<>();
    /** Items whose origin just failed: their stale copy is served without asking again until then. */
    private final Map<String, Instant> originBackoff = new ConcurrentHashMap<>();
    private static final long BACKOFF_S = 30;

    ContentFetcher(DiskContentStore store, CacheTelemetry telemetry, HttpClient http, ExecutorService pool,
            ScheduledExecutorService scheduler, Clock clock,
            Supplier<Settings> settings, Supplier<List<NearbySharer>> nearby) {
        this.store = store;
        this.telemetry = telemetry;
        this.http = http;
        this.pool = pool;
        this.scheduler = scheduler;
        this.clock = clock;
        this.settings = settings;
        this.nearby = nearby;
    }

    /** The id an origin URL's item has on every gateway: 32 hex digits of the URL's SHA-256. */
    static String idForUrl(String url) {
        return Hex.sha256(url).substring(0, 32);
    }

    /** Checks that {@code url} is absolute http(s) and starts with an allowed prefix; returns it normalised. */
    static String checkOriginUrl(String url, List<String> allowedPrefixes) {
        URI uri;
        try {
            uri = new URI(url).normalize();
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || uri.getUserInfo() != null) {
            throw new IllegalArgumentException("only absolute http(s) URLs without credentials are fetched");
        }
        String s = uri.toString();
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        if (path.contains("/../") || path.endsWith("/..") || path.toLowerCase(Locale.ROOT).contains("%2e")) {
            throw new IllegalArgumentException("dot segments are not allowed in origin URLs");
        }
        for (String prefix : allowedPrefixes) {
            if (!prefix.isEmpty() && s.startsWith(prefix)) {
                return s;
            }
        }
        throw new SecurityException("origin not allowed by edgeshare.cache origin.allowed.prefixes: " + s);
    }

    /** Whether the origin of {@code id} failed recently, so its stale copy should be served as it is. */
    boolean backingOff(String id) {
        Instant until = originBackoff.get(id);
        if (until == null) {
            return false;
        }
        if (clock.instant().isBefore(until)) {
            return true;
        }
        originBackoff.remove(id, until);
        return false;
    }

    Optional<Flight> inFlight(String id) {
        return Optional.ofNullable(flights.get(id));
    }

    List<Flight> flights() {
        return new ArrayList<>(flights.values());
    }

    /**
     * The flight for {@code request.id()}, started if none is running. {@code leader[0]} tells the caller
     * whether this call started it.
     */
    Flight acquire(Request request, boolean[] leader) {
        boolean[] created = {false};
        Flight flight = flights.computeIfAbsent(request.id(), id -> {
            created[0] = true;
            Flight f = new Flight(id);
            f.onFinish(() -> flights.remove(id, f));
            return f;
        });
        if (leader != null) {
            leader[0] = created[0];
        }
        if (created[0]) {
            try {
                pool.execute(() -> run(flight, request));
            } catch (RejectedExecutionException e) {
                flights.remove(request.id(), flight);
                flight.failed(503, "shutting-down", "the cache is stopping");
            }
        }
        return flight;
    }

    private void run(Flight flight, Request request) {
        String name = Thread.currentThread().getName();
        Thread.currentThread().setName("edgeshare-cache-fetch " + request.id());
        try {
            Settings s = settings.get();
            Optional<StoredItem> existing = store.get(request.id());
            if (s.peerFetch() && existing.isEmpty()) {
                for (NearbySharer peer : peersWith(request.id())) {
                    try {
                        StoredItem item = fromPeer(flight, peer, request, s);
                        LOG.info("Cache admitted {} from nearby sharer {} ({} bytes, SHA-256 verified)", item.id(),
                                peer.deviceId(), item.size());
                        flight.succeeded(item, false);
                        return;
                    } catch (IOException | RuntimeException e) {
                        telemetry.peerRejected.increment();
                        LOG.warn("Cache could not take {} from nearby sharer {}: {}", request.id(), peer.deviceId(),
                                e.getMessage());
                    }
                }
            }
            if (request.url() == null) {
                flight.failed(404, "not-found", "no nearby sharer could provide " + request.id()
                        + " and it has no origin URL");
                return;
            }
            fromOrigin(flight, request, existing.orElse(null), s);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            flight.failed(503, "shutting-down", "the cache is stopping");
        } catch (RuntimeException e) {
            LOG.error("Cache acquisition of {} failed unexpectedly", request.id(), e);
            flight.failed(500, "internal", String.valueOf(e.getMessage()));
        } finally {
            flights.remove(request.id(), flight);
            if (!flight.done().isDone()) {
                flight.failed(500, "internal", "acquisition ended without a result");
            }
            Thread.currentThread().setName(name);
        }
    }

    private List<NearbySharer> peersWith(String id) {
        List<NearbySharer> result = new ArrayList<>();
        for (NearbySharer p : nearby.get()) {
            if (p.contentIds().contains(id)) {
                result.add(p);
            }
        }
        return result;
    }

    // ------------------------------------------------------------------ origin

    private void fromOrigin(Flight flight, Request request, StoredItem existing, Settings s)
            throws InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(request.url())).GET()
                .timeout(Duration.ofSeconds(s.originTimeoutS())).header("User-Agent", "EdgeShare-cache/1");
        if (existing != null && existing.originUrl() != null) {
            if (existing.etag() != null) {
                b.header("If-None-Match", existing.etag());
            }
            if (existing.lastModified() != null) {
                b.header("If-Modified-Since", existing.lastModified());
            }
        }
        flight.source("origin", -1);
        HttpResponse<InputStream> response;
        try {
            response = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            originUnavailable(flight, existing, "origin unreachable: " + e);
            return;
        }
        int code = response.statusCode();
        HttpHeaders h = response.headers();
        if (code == 304 && existing != null) {
            closeQuietly(response.body());
            originBackoff.remove(existing.id());
            telemetry.revalidations.increment();
            try {
                store.revalidated(existing.id(), h.firstValue("ETag").orElse(null),
                        h.firstValue("Last-Modified").orElse(null), freshUntil(h, s));
            } catch (IOException e) {
                LOG.warn("Cache could not record revalidation of {}: {}", existing.id(), e.getMessage());
            }
            flight.succeeded(store.get(existing.id()).orElse(existing), false);
            return;
        }
        if (code != 200) {
            closeQuietly(response.body());
            originUnavailable(flight, existing, "origin answered HTTP " + code);
            return;
        }
        long length = h.firstValueAsLong("Content-Length").orElse(-1L);
        if (length > s.maxItemBytes()) {
            closeQuietly(response.body());
            flight.failed(413, "too-large", "item of " + length + " bytes exceeds max.item.bytes " + s.maxItemBytes());
            return;
        }
        String mediaType = Optional.ofNullable(MediaTypes.normalise(h.firstValue("Content-Type").orElse(null)))
                .orElse(MediaTypes.forFileName(URI.create(request.url()).getPath()));
        telemetry.originFetches.increment();
        flight.source("origin", length);
        DiskContentStore.Admission admission;
        try {
            admission = store.begin(request.id(), length);
        } catch (IOException e) {
            closeQuietly(response.body());
            String reason = e instanceof StoreException se ? se.reason() : "io-error";
            if (existing != null) {
                LOG.warn("Cache cannot admit the new version of {} ({}); serving the stored one", request.id(),
                        e.getMessage());
                flight.succeeded(existing, true);
            } else {
                flight.failed(503, reason, e.getMessage());
            }
            return;
        }
        try (admission; InputStream in = response.body();
                Stall stall = new Stall(scheduler, in, s.stallTimeoutS())) {
            FileChannel growing = FileChannel.open(admission.tempFile(), StandardOpenOption.READ);
            flight.streaming(growing, length, mediaType);
            byte[] buf = new byte[CHUNK];
            int n;
            while ((n = in.read(buf)) >= 0) {
                stall.progress();
                if (n == 0) {
                    continue;
                }
                if (admission.written() + n > s.maxItemBytes()) {
                    throw new StoreException("too-large", "item exceeds max.item.bytes " + s.maxItemBytes());
                }
                admission.write(ByteBuffer.wrap(buf, 0, n));
                telemetry.bytesFromOrigin.add(n);
                flight.progress(admission.written());
            }
            if (stall.fired()) {
                throw new IOException("origin stalled for " + s.stallTimeoutS() + " s");
            }
            String title = request.title() != null ? request.title() : titleFromUrl(request.url());
            StoredItem item = admission.commit(new DiskContentStore.Metadata(title, mediaType, request.category(),
                    request.url(), h.firstValue("ETag").orElse(null), h.firstValue("Last-Modified").orElse(null),
                    freshUntil(h, s), request.pin()), null, length);
            originBackoff.remove(item.id());
            LOG.info("Cache admitted {} from origin {} ({} bytes)", item.id(), request.url(), item.size());
            flight.succeeded(item, false);
        } catch (IOException e) {
            telemetry.originFailures.increment();
            String reason = e instanceof StoreException se ? se.reason() : "origin-failed";
            LOG.warn("Cache fetch of {} from {} failed: {}", request.id(), request.url(), e.getMessage());
            flight.failed(502, reason, e.getMessage());
        }
    }

    private void originUnavailable(Flight flight, StoredItem existing, String why) {
        telemetry.originFailures.increment();
        if (existing != null) {
            originBackoff.put(existing.id(), clock.instant().plusSeconds(BACKOFF_S));
            LOG.warn("Cache serves stale {} for the next {} s: {}", existing.id(), BACKOFF_S, why);
            telemetry.staleServed.increment();
            flight.succeeded(existing, true);
        } else {
            LOG.warn("Cache cannot get {}: {}", flight.id(), why);
            flight.failed(502, "origin-failed", why);
        }
    }

    private Instant freshUntil(HttpHeaders h, Settings s) {
        long seconds = s.originFreshS();
        for (String cc : h.allValues("Cache-Control")) {
            for (String directive : cc.toLowerCase(Locale.ROOT).split(",")) {
                String d = directive.trim();
                if (d.equals("no-cache") || d.equals("no-store")) {
                    seconds = 0;
                } else if (d.startsWith("max-age=")) {
                    try {
                        seconds = Math.min(MAX_FRESH_S, Math.max(0, Long.parseLong(d.substring(8).trim())));
                    } catch (NumberFormatException e) {
                        // keep the default
                    }
                }
            }
        }
        return clock.instant().plusSeconds(seconds);
    }

    static String titleFromUrl(String url) {
        String path = URI.create(url).getPath();
        if (path == null || path.isEmpty() || path.endsWith("/")) {
            return URI.create(url).getHost();
        }
        return path.substring(path.lastIndexOf('/') + 1);
    }

    // ------------------------------------------------------------------ peers

    private StoredItem fromPeer(Flight flight, NearbySharer peer, Request request, Settings s)
            throws IOException, InterruptedException {
        String base = peer.baseUrl().endsWith("/") ? peer.baseUrl().substring(0, peer.baseUrl().length() - 1)
                : peer.baseUrl();
        String encodedId = URLEncoder.encode(request.id(), StandardCharsets.UTF_8);
        HttpResponse<String> metaResponse = http.send(HttpRequest.newBuilder(URI.create(base + "/api/catalog/"
                + encodedId)).timeout(Duration.ofSeconds(s.originTimeoutS())).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (metaResponse.statusCode() != 200) {
            throw new IOException("catalog entry answered HTTP " + metaResponse.statusCode());
        }
        JsonObject meta = JsonParser.parseString(metaResponse.body()).getAsJsonObject();
        String sha = meta.get("sha256").getAsString();
        long size = meta.get("size").getAsLong();
        if (!Hex.isSha256(sha)) {
            throw new IOException("peer gave no valid SHA-256");
        }
        if (request.expectedSha() != null && !request.expectedSha().equals(sha)) {
            throw new IOException("peer's item has SHA-256 " + sha + ", expected " + request.expectedSha());
        }
        if (size > s.maxItemBytes()) {
            throw new StoreException("too-large", "peer item of " + size + " bytes exceeds max.item.bytes");
        }
        flight.source("peer " + peer.deviceId(), size);
        String etag = HttpConditions.etagOf(sha);
        try (DiskContentStore.Admission admission = store.begin(request.id(), size)) {
            int attempts = 0;
            while (admission.written() < size) {
                if (++attempts > PEER_ATTEMPTS) {
                    throw new IOException("gave up after " + PEER_ATTEMPTS + " attempts at byte " + admission.written());
                }
                HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/content/" + encodedId)).GET()
                        .timeout(Duration.ofSeconds(s.originTimeoutS()));
                long from = admission.written();
                if (from > 0) {
                    b.header("Range", "bytes=" + from + "-").header("If-Range", etag);
                }
                HttpResponse<InputStream> r;
                try {
                    r = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
                } catch (IOException e) {
                    LOG.debug("peer {} attempt {} failed", peer.deviceId(), attempts, e);
                    continue;
                }
                if (from > 0 && r.statusCode() == 206) {
                    String cr = r.headers().firstValue("Content-Range").orElse("");
                    if (!cr.startsWith("bytes " + from + "-")) {
                        closeQuietly(r.body());
                        throw new IOException("peer resumed at the wrong place: " + cr);
                    }
                    LOG.info("Cache resumes {} from nearby sharer {} at byte {}", request.id(), peer.deviceId(), from);
                } else if (r.statusCode() == 200) {
                    if (from > 0) {
                        admission.restart();
                    }
                } else {
                    closeQuietly(r.body());
                    throw new IOException("content answered HTTP " + r.statusCode());
                }
                try (InputStream in = r.body(); Stall stall = new Stall(scheduler, in, s.stallTimeoutS())) {
                    byte[] buf = new byte[CHUNK];
                    int n;
                    while ((n = in.read(buf)) >= 0) {
                        stall.progress();
                        if (admission.written() + n > size) {
                            throw new StoreException("verification-failed", "peer sent more than " + size + " bytes");
                        }
                        admission.write(ByteBuffer.wrap(buf, 0, n));
                        telemetry.bytesFromPeers.add(n);
                        flight.progress(admission.written());
                    }
                } catch (StoreException e) {
                    throw e;
                } catch (IOException e) {
                    LOG.info("Cache transfer of {} from {} broke at byte {}: {}", request.id(), peer.deviceId(),
                            admission.written(), e.getMessage());
                }
            }
            telemetry.peerFetches.increment();
            String origin = request.url() != null ? request.url()
                    : meta.has("origin") && !meta.get("origin").isJsonNull() ? meta.get("origin").getAsString() : null;
            return admission.commit(new DiskContentStore.Metadata(
                    request.title() != null ? request.title() : optString(meta, "title"),
                    optString(meta, "mediaType"),
                    request.category() != null ? request.category() : optString(meta, "category"),
                    origin, null, null, clock.instant().plusSeconds(s.originFreshS()), request.pin()), sha, size);
        }
    }

    private static String optString(JsonObject o, String key) {
        return o.has(key) && !o.get(key).isJsonNull() ? o.get(key).getAsString() : null;
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // the response is abandoned anyway
        }
    }
}
