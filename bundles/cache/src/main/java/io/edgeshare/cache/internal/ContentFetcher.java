package io.edgeshare.cache.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.edgeshare.api.ap.NearbySharer;
import io.edgeshare.support.LogText;

/**
 * Gets items into the store: from nearby sharers first (verified against SHA-256, resumed after a broken
 * connection), then from the origin (revalidated with ETag/Last-Modified, stale copy served if the origin
 * fails). Concurrent requests for one item share one {@link Flight}.
 */
final class ContentFetcher {

    private static final Logger LOG = LoggerFactory.getLogger(ContentFetcher.class);
    private static final int CHUNK = 64 * 1024;
    private static final int MAX_REDIRECTS = 5;
    private static final int MAX_MISMATCHES_LOGGED = 1000;
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
    private final Supplier<HttpClient> http;
    private final ExecutorService pool;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final Supplier<Settings> settings;
    private final Supplier<List<NearbySharer>> nearby;
    private final Map<String, Flight> flights = new ConcurrentHashMap<>();
    /** Items whose origin just failed: their stale copy is served without asking again until then. */
    private final Map<String, Instant> originBackoff = new ConcurrentHashMap<>();
    /** (peer, id) pairs whose mismatch was logged already: a lying peer is reported once, not per retry. */
    private final Set<String> mismatchesLogged = ConcurrentHashMap.newKeySet();
    private final PeerTransfer peers;
    private static final long BACKOFF_S = 30;

    ContentFetcher(DiskContentStore store, CacheTelemetry telemetry, Supplier<HttpClient> http,
            ExecutorService pool, ScheduledExecutorService scheduler, Clock clock,
            Supplier<Settings> settings, Supplier<List<NearbySharer>> nearby) {
        this.store = store;
        this.telemetry = telemetry;
        this.http = http;
        this.pool = pool;
        this.scheduler = scheduler;
        this.clock = clock;
        this.settings = settings;
        this.nearby = nearby;
        this.peers = new PeerTransfer(store, telemetry, http, scheduler, clock);
    }

    /** The id an origin URL's item has on every gateway: 32 hex digits of the URL's SHA-256. */
    static String idForUrl(String url) {
        return Hex.sha256(url).substring(0, 32);
    }

    /**
     * Checks {@code url} against the allowed prefixes (parsed and normalised, see {@link OriginPrefixes});
     * returns it normalised. Throws {@link SecurityException} when it is not allowed and
     * {@link IllegalArgumentException} when it is no acceptable URL; the message is safe to show a client.
     */
    static String checkOriginUrl(String url, List<String> allowedPrefixes) {
        try {
            return OriginPrefixes.of(allowedPrefixes).check(url);
        } catch (OriginPrefixes.Refused e) {
            if (e.malformed()) {
                throw new IllegalArgumentException(e.getMessage());
            }
            throw new SecurityException(e.getMessage());
        }
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
                telemetry.fetchRejected.increment();
                flight.failed(503, "busy", "too many fetches at once; try again shortly");
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
            if (s.peerFetch() && existing.isEmpty() && PeerTransfer.verifiable(request)) {
                for (NearbySharer peer : peersWith(request.id())) {
                    try {
                        StoredItem item = peers.fetch(flight, peer, request, s);
                        LOG.info("Cache admitted {} from nearby sharer {} ({} bytes, SHA-256 {} checked against {})",
                                item.id(), LogText.clean(peer.deviceId()), item.size(), item.sha256(),
                                request.expectedSha() != null ? "the trusted hash" : "the id");
                        flight.succeeded(item, false);
                        return;
                    } catch (PeerTransfer.Mismatch e) {
                        telemetry.peerRejected.increment();
                        telemetry.peerMismatch.increment();
                        if (mismatchesLogged.size() < MAX_MISMATCHES_LOGGED
                                && mismatchesLogged.add(peer.deviceId() + " " + request.id())) {
                            LOG.warn("Cache refused {} from nearby sharer {}: {}", request.id(),
                                    LogText.clean(peer.deviceId()), LogText.clean(e.getMessage()));
                        }
                    } catch (IOException | RuntimeException e) {
                        telemetry.peerRejected.increment();
                        LOG.warn("Cache could not take {} from nearby sharer {}: {}", request.id(),
                                LogText.clean(peer.deviceId()), LogText.clean(e.getMessage()));
                    }
                }
            }
            if (request.url() == null) {
                flight.failed(404, "not-found", "no nearby sharer could provide a verified copy of " + request.id()
                        + " and it has no origin URL");
                return;
            }
            fromOrigin(flight, request, existing.orElse(null), s);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            flight.failed(503, "shutting-down", "the cache is stopping");
        } catch (RuntimeException e) {
            LOG.error("Cache acquisition of {} failed unexpectedly", request.id(), e);
            flight.failed(500, "internal", "the item could not be acquired");
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

    /**
     * Every URL fetch passes here, whoever asked (fetch-through, command, admin, revalidation, prefetch), and
     * so does every redirect hop: nothing outside {@code origin.allowed.prefixes} is ever requested.
     */
    private void fromOrigin(Flight flight, Request request, StoredItem existing, Settings s)
            throws InterruptedException {
        OriginPrefixes allowed = s.origins();
        String target = request.url();
        flight.source("origin", -1);
        HttpResponse<InputStream> response = null;
        for (int hop = 0; response == null; hop++) {
            try {
                target = allowed.check(target);
            } catch (OriginPrefixes.Refused e) {
                refused(flight, existing, target, e.getMessage());
                return;
            }
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(target)).GET()
                    .timeout(Duration.ofSeconds(s.originTimeoutS())).header("User-Agent", "EdgeShare-cache/1");
            if (existing != null && existing.originUrl() != null) {
                if (existing.etag() != null) {
                    b.header("If-None-Match", existing.etag());
                }
                if (existing.lastModified() != null) {
                    b.header("If-Modified-Since", existing.lastModified());
                }
            }
            HttpResponse<InputStream> r;
            try {
                r = http.get().send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (IOException | IllegalArgumentException e) {
                LOG.debug("origin {} unreachable", LogText.clean(target), e);
                originUnavailable(flight, existing, "origin unreachable");
                return;
            }
            String location = r.headers().firstValue("Location").orElse(null);
            if (isRedirect(r.statusCode()) && location != null) {
                closeQuietly(r.body());
                if (hop >= MAX_REDIRECTS) {
                    originUnavailable(flight, existing, "origin redirected more than " + MAX_REDIRECTS + " times");
                    return;
                }
                try {
                    target = URI.create(target).resolve(location.strip()).toString();
                } catch (IllegalArgumentException e) {
                    originUnavailable(flight, existing, "origin redirected to an invalid location");
                    return;
                }
                continue;
            }
            response = r;
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
                        LogText.clean(e.getMessage()));
                flight.succeeded(existing, true);
            } else {
                flight.failed(503, reason, e instanceof StoreException ? e.getMessage() : "the item could not be stored");
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
            LOG.info("Cache admitted {} from origin {} ({} bytes)", item.id(), LogText.clean(request.url()),
                    item.size());
            flight.succeeded(item, false);
        } catch (IOException e) {
            telemetry.originFailures.increment();
            String reason = e instanceof StoreException se ? se.reason() : "origin-failed";
            LOG.warn("Cache fetch of {} from {} failed: {}", request.id(), LogText.clean(request.url()),
                    LogText.clean(e.getMessage()));
            flight.failed(502, reason, e instanceof StoreException ? e.getMessage() : "the origin transfer failed");
        }
    }

    private static boolean isRedirect(int code) {
        return code == 301 || code == 302 || code == 303 || code == 307 || code == 308;
    }

    private void refused(Flight flight, StoredItem existing, String url, String why) {
        telemetry.originRefused.increment();
        LOG.warn("Cache refused to fetch {}: {}", LogText.clean(url), why);
        if (existing != null) {
            // a stored copy whose origin is no longer allowed is served as it is, not refetched
            originBackoff.put(existing.id(), clock.instant().plusSeconds(BACKOFF_S));
            flight.succeeded(existing, true);
        } else {
            flight.failed(403, "origin-not-allowed", why);
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

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // the response is abandoned anyway
        }
    }
}
