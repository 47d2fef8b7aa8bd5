package io.edgeshare.cache.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import io.edgeshare.api.ap.NearbySharer;
import io.edgeshare.support.LogText;

/**
 * Takes one item from one nearby sharer (resumed with Range after a broken connection). The id is a
 * commitment the peer cannot bend: the bytes must hash to the trusted SHA-256 when there is one, else to a
 * SHA-256 that starts with the id. What the peer says about the item (its hash, type, title) is only a hint.
 */
final class PeerTransfer {

    private static final Logger LOG = LoggerFactory.getLogger(PeerTransfer.class);
    private static final int CHUNK = 64 * 1024;
    private static final int PEER_ATTEMPTS = 4;

    /** The peer's copy is not the item it was asked for. */
    static final class Mismatch extends IOException {
        private static final long serialVersionUID = 1L;

        Mismatch(String message) {
            super(message);
        }
    }

    private final DiskContentStore store;
    private final CacheTelemetry telemetry;
    private final Supplier<HttpClient> http;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;

    PeerTransfer(DiskContentStore store, CacheTelemetry telemetry, Supplier<HttpClient> http,
            ScheduledExecutorService scheduler, Clock clock) {
        this.store = store;
        this.telemetry = telemetry;
        this.http = http;
        this.scheduler = scheduler;
        this.clock = clock;
    }

    /**
     * Whether a peer may supply this request at all: with a trusted SHA-256, or for a content id (32 hex
     * digits, a SHA-256 prefix) without an origin URL. An origin-keyed item without a trusted hash comes
     * from the origin only: nothing about the URL lets us check a peer's bytes.
     */
    static boolean verifiable(ContentFetcher.Request request) {
        if (request.expectedSha() != null) {
            return true;
        }
        return request.url() == null && request.id().matches("[0-9a-f]{32}");
    }

    StoredItem fetch(Flight flight, NearbySharer peer, ContentFetcher.Request request, Settings s)
            throws IOException, InterruptedException {
        String base = peer.baseUrl().endsWith("/") ? peer.baseUrl().substring(0, peer.baseUrl().length() - 1)
                : peer.baseUrl();
        String encodedId = URLEncoder.encode(request.id(), StandardCharsets.UTF_8);
        HttpResponse<String> metaResponse = http.get().send(HttpRequest.newBuilder(URI.create(base + "/api/catalog/"
                + encodedId)).timeout(Duration.ofSeconds(s.originTimeoutS())).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (metaResponse.statusCode() != 200) {
            throw new IOException("catalog entry answered HTTP " + metaResponse.statusCode());
        }
        JsonObject meta;
        String claimed;
        long size;
        try {
            meta = JsonParser.parseString(metaResponse.body()).getAsJsonObject();
            claimed = meta.get("sha256").getAsString();
            size = meta.get("size").getAsLong();
        } catch (JsonParseException | IllegalStateException | NullPointerException | UnsupportedOperationException
                | NumberFormatException e) {
            throw new IOException("catalog entry is not a valid item description");
        }
        // the hash the bytes must have: never the peer's word alone
        String required = request.expectedSha() != null ? request.expectedSha() : claimed;
        if (!Hex.isSha256(claimed) || !claimed.equals(required)) {
            throw new Mismatch("peer claims SHA-256 " + claimed + ", the trusted one is " + required);
        }
        if (request.expectedSha() == null && !required.startsWith(request.id())) {
            throw new Mismatch("peer's item has SHA-256 " + claimed + ", which does not start with the id");
        }
        if (size < 0 || size > s.maxItemBytes()) {
            throw new StoreException("too-large", "peer item of " + size + " bytes exceeds max.item.bytes");
        }
        flight.source("peer " + peer.deviceId(), size);
        String etag = HttpConditions.etagOf(required);
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
                    r = http.get().send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
                } catch (IOException e) {
                    LOG.debug("peer {} attempt {} failed", LogText.clean(peer.deviceId()), attempts, e);
                    continue;
                }
                if (from > 0 && r.statusCode() == 206) {
                    String cr = r.headers().firstValue("Content-Range").orElse("");
                    if (!cr.startsWith("bytes " + from + "-")) {
                        closeQuietly(r.body());
                        throw new IOException("peer resumed at the wrong place");
                    }
                    LOG.info("Cache resumes {} from nearby sharer {} at byte {}", request.id(),
                            LogText.clean(peer.deviceId()), from);
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
                            throw new Mismatch("peer sent more than " + size + " bytes");
                        }
                        admission.write(ByteBuffer.wrap(buf, 0, n));
                        telemetry.bytesFromPeers.add(n);
                        flight.progress(admission.written());
                    }
                } catch (StoreException | Mismatch e) {
                    throw e;
                } catch (IOException e) {
                    LOG.info("Cache transfer of {} from {} broke at byte {}: {}", request.id(),
                            LogText.clean(peer.deviceId()), admission.written(), LogText.clean(e.getMessage()));
                }
            }
            String title = PeerClaims.title(request.title(), request.url(), optString(meta, "title"), request.id());
            String mediaType = MediaTypes.forFileName(title);
            StoredItem item;
            try {
                item = admission.commit(new DiskContentStore.Metadata(title, mediaType,
                        request.category() != null ? request.category() : MediaTypes.categoryOf(mediaType),
                        request.url(), null, null, clock.instant().plusSeconds(s.originFreshS()), request.pin()),
                        required, size);
            } catch (StoreException e) {
                if (e.reason().equals("verification-failed")) {
                    throw new Mismatch(e.getMessage());
                }
                throw e;
            }
            telemetry.peerFetches.increment();
            return item;
        }
    }

    private static String optString(JsonObject o, String key) {
        return o.has(key) && o.get(key).isJsonPrimitive() ? o.get(key).getAsString() : null;
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // the response is abandoned anyway
        }
    }
}
