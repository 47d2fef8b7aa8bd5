package io.edgeshare.cache.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.edgeshare.api.ap.NearbySharer;
import io.edgeshare.api.ap.NearbySharers;
import io.edgeshare.api.cache.ContentCatalog;
import io.edgeshare.api.cache.ContentItem;
import io.edgeshare.api.telemetry.TelemetrySnapshot;
import io.edgeshare.api.telemetry.TelemetrySource;
import io.edgeshare.support.InstanceData;
import io.edgeshare.support.LogText;

/**
 * The gateway's content cache: owns the store, the fetcher and the sharing policy limits; publishes the
 * catalog (for the portal and the uplink) and telemetry. The servlets reach it as an internal service.
 * Reconfiguration applies in place: quota, categories, sizes, rates, prefetch list; downloads keep running.
 */
@Component(service = { ContentCache.class, ContentCatalog.class, TelemetrySource.class },
        configurationPid = "edgeshare.cache", immediate = true)

public final class ContentCache implements ContentCatalog, TelemetrySource {

    private static final Logger LOG = LoggerFactory.getLogger(ContentCache.class);
    /** Fetches running at once, and waiting beyond those; more are refused with 503 busy. */
    static final int MAX_FETCHES = 16;
    static final int FETCH_QUEUE = 256;

    private final Clock clock = Clock.systemUTC();
    private final CacheTelemetry telemetry = new CacheTelemetry();
    private final ClientRateLimiter limiter;
    private final AtomicInteger activeDownloads = new AtomicInteger();
    private final BufferPool buffers = new BufferPool(BufferPool.MAX, BufferPool.SIZE);
    private final AtomicLong policyGeneration = new AtomicLong();
    private final ExecutorService pool;
    private final ScheduledExecutorService scheduler;
    private final DiskContentStore store;
    private final ContentFetcher fetcher;
    private final LazyHttpClient http;
    private final HotItems hot;
    private final Map<Path, FileTime> inboxSeen = new HashMap<>();
    private volatile Settings settings;
    private Future<?> prefetchTask;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile NearbySharers nearbySharers;

    @Activate
    public ContentCache(BundleContext context, CacheConfig config) throws IOException {
        this(storeDirectory(context, Settings.from(config)), Settings.from(config));
    }

    /** Without OSGi: tests and the crash-test main. */
    ContentCache(Path storeDir, Settings initial) throws IOException {
        this.settings = initial;
        this.limiter = new ClientRateLimiter(initial.clientRateBytesPerS());
        this.hot = new HotItems(initial.memoryCacheBytes());
        this.store = new DiskContentStore(storeDir, initial.quotaBytes(), initial.minFreeBytes(), clock);
        // bounded: a flood of fetch requests queues (then gets 503 busy) instead of growing threads without end
        ThreadPoolExecutor fetchPool = new ThreadPoolExecutor(MAX_FETCHES, MAX_FETCHES, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(FETCH_QUEUE), named("edgeshare-cache-fetch"));
        fetchPool.allowCoreThreadTimeOut(true);
        this.pool = fetchPool;
        this.scheduler = Executors.newScheduledThreadPool(1, named("edgeshare-cache-maintenance"));
        // built on the first fetch (not on the activation path); it keeps its own executor so its internal
        // tasks never queue behind blocked fetches
        this.http = new LazyHttpClient(Duration.ofSeconds(initial.originTimeoutS()));
        this.fetcher = new ContentFetcher(store, telemetry, http, pool, scheduler, clock, () -> settings,
                this::nearby);
        scheduler.scheduleWithFixedDelay(this::maintain, 30, 30, TimeUnit.SECONDS);
        scheduler.scheduleWithFixedDelay(this::scanInbox, 5, 10, TimeUnit.SECONDS);
        apply(null, initial);
        LOG.info("Cache edgeshare.cache active: store {}, quota {} bytes, {} origin prefixes, {} prefetch entries",
                storeDir, initial.quotaBytes(), initial.originAllowedPrefixes().size(), initial.prefetch().size());
    }

    static Path storeDirectory(BundleContext context, Settings s) {
        if (!s.storeDir().isEmpty()) {
            return Path.of(s.storeDir());
        }
        return InstanceData.resolve(context, "cache");
    }

    @Modified
    void modified(CacheConfig config) {
        Settings next = Settings.from(config);
        Settings previous = settings;
        settings = next;
        apply(previous, next);
        LOG.info("Cache edgeshare.cache reconfigured in place: quota {} bytes, categories {}, max item {} bytes, "
                + "rate {} B/s, {} concurrent downloads, {} prefetch entries", next.quotaBytes(),
                next.allowedCategories().isEmpty() ? "all" : next.allowedCategories(), next.maxItemBytes(),
                next.clientRateBytesPerS(), next.maxConcurrentDownloads(), next.prefetch().size());
        if (previous != null && !previous.storeDir().equals(next.storeDir())) {
            LOG.warn("Cache store.dir changed to '{}'; it takes effect when the cache bundle restarts", next.storeDir());
        }
    }

    private void apply(Settings previous, Settings next) {
        store.setLimits(next.quotaBytes(), next.minFreeBytes());
        limiter.setRate(next.clientRateBytesPerS());
        hot.setBudget(next.memoryCacheBytes());
        Set<String> keep = new LinkedHashSet<>();
        for (Settings.PrefetchEntry e : next.prefetch()) {
            try {
                keep.add(ContentFetcher.idForUrl(OriginPrefixes.parse(e.url()).text()));
            } catch (OriginPrefixes.Refused ex) {
                // not a URL: nothing to keep
            }
        }
        if (!next.origins().invalid().isEmpty()) {
            LOG.warn("Cache origin.allowed.prefixes entries {} are not absolute http(s) URLs and admit nothing",
                    next.origins().invalid());
        }
        store.setProtected(keep);
        if (previous == null || !previous.allowedCategories().equals(next.allowedCategories())
                || previous.maxItemBytes() != next.maxItemBytes()) {
            policyGeneration.incrementAndGet();
        }
        if (previous == null || !previous.prefetch().equals(next.prefetch())) {
            schedulePrefetch(next.prefetch());
        }
    }

    @Deactivate
    void deactivate() {
        scheduler.shutdownNow();
        pool.shutdownNow();
        try {
            store.close();
        } catch (IOException e) {
            LOG.warn("Cache index could not be saved at stop", e);
        }
        LOG.debug("Cache stopped");
    }

    // ------------------------------------------------------------------ for the servlets

    Settings settings() {
        return settings;
    }

    DiskContentStore store() {
        return store;
    }

    ContentFetcher fetcher() {
        return fetcher;
    }

    /** Whether the HTTP client was built: not at activation, on the first origin or peer fetch. */
    boolean httpClientBuilt() {
        return http.built();
    }

    CacheTelemetry counters() {
        return telemetry;
    }

    HotItems hot() {
        return hot;
    }

    ClientRateLimiter limiter() {
        return limiter;
    }

    /** The direct buffers every download copies file bytes through (bounded, shared). */
    BufferPool buffers() {
        return buffers;
    }

    /** Takes a download slot, or returns false when the policy's cap is reached. */
    boolean tryStartDownload() {
        if (activeDownloads.incrementAndGet() > settings.maxConcurrentDownloads()) {
            activeDownloads.decrementAndGet();
            telemetry.rejectedBusy.increment();
            return false;
        }
        return true;
    }

    void endDownload() {
        activeDownloads.decrementAndGet();
    }

    int activeDownloads() {
        return activeDownloads.get();
    }

    List<NearbySharer> nearby() {
        NearbySharers local = nearbySharers;
        if (local == null) {
            return List.of();
        }
        try {
            return local.sharers();
        } catch (RuntimeException e) {
            LOG.warn("NearbySharers failed: {}", e.getMessage());
            return List.of();
        }
    }

    /** A stale origin item: have the origin confirm or replace it, without making anyone wait. */
    void revalidateInBackground(StoredItem item) {
        if (item.originUrl() != null && !item.freshAt(clock.instant()) && fetcher.inFlight(item.id()).isEmpty()
                && !fetcher.backingOff(item.id())) {
            fetcher.acquire(new ContentFetcher.Request(item.id(), item.originUrl(), item.title(), item.category(),
                    item.pinned(), null), null);
        }
    }

    Instant now() {
        return clock.instant();
    }

    /** Imports a stream (an operator's upload or an inbox file); the id is derived from the content. */
    StoredItem importStream(InputStream in, long declaredLength, String title, String mediaType, String category,
            boolean pin) throws IOException {
        Settings s = settings;
        if (declaredLength > s.maxItemBytes()) {
            throw new StoreException("too-large", "item of " + declaredLength + " bytes exceeds max.item.bytes");
        }
        try (DiskContentStore.Admission a = store.begin(null, declaredLength)) {
            byte[] buf = new byte[64 * 1024];
            int n;
            while ((n = in.read(buf)) >= 0) {
                if (a.written() + n > s.maxItemBytes()) {
                    throw new StoreException("too-large", "item exceeds max.item.bytes " + s.maxItemBytes());
                }
                a.write(ByteBuffer.wrap(buf, 0, n));
            }
            String type = mediaType != null ? mediaType : MediaTypes.forFileName(title);
            StoredItem item = a.commit(new DiskContentStore.Metadata(title, type, category, null, null, null,
                    clock.instant(), pin), null, declaredLength);
            LOG.info("Cache imported {} as {} ({} bytes, {})", LogText.clean(title), item.id(), item.size(),
                    item.category());
            return item;
        }
    }

    // ------------------------------------------------------------------ ContentCatalog

    @Override
    public List<ContentItem> items() {
        Settings s = settings;
        List<ContentItem> result = new ArrayList<>();
        List<StoredItem> all = store.items();
        all.sort(Comparator.comparing(StoredItem::added).reversed().thenComparing(StoredItem::id));
        for (StoredItem i : all) {
            if (s.shares(i)) {
                result.add(i.toContentItem());
            }
        }
        return result;
    }

    @Override
    public long revision() {
        return store.revision() + policyGeneration.get();
    }

    // ------------------------------------------------------------------ TelemetrySource

    @Override
    public String name() {
        return "cache";
    }

    @Override
    public TelemetrySnapshot snapshot() {
        DiskContentStore.Stats st = store.stats();
        Map<String, Number> m = new LinkedHashMap<>();
        m.put("bytes.served", telemetry.bytesServed.sum());
        m.put("bytes.origin", telemetry.bytesFromOrigin.sum());
        m.put("bytes.peers", telemetry.bytesFromPeers.sum());
        m.put("bytes.saved", telemetry.bytesSaved());
        m.put("hit.ratio", telemetry.hitRatio());
        m.put("requests", telemetry.requests.sum());
        m.put("requests.fast", telemetry.fastRoute.sum());
        m.put("hits", telemetry.hits.sum());
        m.put("coalesced", telemetry.coalesced.sum());
        m.put("misses", telemetry.misses.sum());
        m.put("origin.fetches", telemetry.originFetches.sum());
        m.put("origin.failures", telemetry.originFailures.sum());
        m.put("stale.served", telemetry.staleServed.sum());
        m.put("revalidations", telemetry.revalidations.sum());
        m.put("peer.fetches", telemetry.peerFetches.sum());
        m.put("peer.rejected", telemetry.peerRejected.sum());
        m.put("peer.mismatch", telemetry.peerMismatch.sum());
        m.put("origin.refused", telemetry.originRefused.sum());
        m.put("fetch.rejected", telemetry.fetchRejected.sum());
        m.put("rejected.busy", telemetry.rejectedBusy.sum());
        m.put("downloads.active", activeDownloads.get());
        m.put("items", st.items());
        m.put("bytes.stored", st.usedBytes());
        m.put("bytes.quota", st.quotaBytes());
        m.put("evictions", st.evictions());
        m.put("fetches.active", fetcher.flights().size());
        m.put("bytes.memory", hot.usedBytes());
        m.put("bytes.buffers", (long) buffers.allocated() * BufferPool.SIZE);
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("admission", st.admissionStopped() == null ? "ok" : "stopped");
        if (st.admissionStopped() != null) {
            labels.put("admission.reason", st.admissionStopped());
        }
        return new TelemetrySnapshot(name(), clock.instant(), m, labels);
    }

    // ------------------------------------------------------------------ background work

    private void maintain() {
        try {
            store.flush();
            limiter.prune();
        } catch (IOException | RuntimeException e) {
            LOG.warn("Cache maintenance failed: {}", e.getMessage());
        }
    }

    private synchronized void schedulePrefetch(List<Settings.PrefetchEntry> entries) {
        if (prefetchTask != null) {
            prefetchTask.cancel(true);
        }
        if (entries.isEmpty()) {
            prefetchTask = null;
            return;
        }
        // first run soon (after activation returns), then keep the list fresh
        prefetchTask = scheduler.scheduleWithFixedDelay(() -> prefetch(entries), 1, 600, TimeUnit.SECONDS);
    }

    private void prefetch(List<Settings.PrefetchEntry> entries) {
        int fetched = 0;
        int failed = 0;
        for (Settings.PrefetchEntry e : entries) {
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
            String url;
            try {
                url = settings.origins().check(e.url());
            } catch (OriginPrefixes.Refused ex) {
                counters().originRefused.increment();
                LOG.warn("Cache prefetch entry '{}' ignored: {}", LogText.clean(e.url()), ex.getMessage());
                continue;
            }
            String id = ContentFetcher.idForUrl(url);
            Optional<StoredItem> have = store.get(id);
            if (have.isPresent() && have.get().freshAt(clock.instant())) {
                continue;
            }
            Flight f = fetcher.acquire(new ContentFetcher.Request(id, url, e.title(), e.category(), false, e.sha256()),
                    null);
            try {
                f.done().get(6, TimeUnit.HOURS);
                fetched++;
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException | TimeoutException ex) {
                failed++;
                LOG.warn("Cache prefetch of {} failed: {}", LogText.clean(url),
                        LogText.clean(ex.getCause() == null ? ex.toString() : ex.getCause().getMessage()));
            }
        }
        if (fetched + failed > 0) {
            LOG.info("Cache prefetch pass: {} fetched or revalidated, {} failed, {} entries", fetched, failed,
                    entries.size());
        }
    }

    /** Imports files an operator dropped into the inbox once their size and time stop changing. */
    void scanInbox() {
        String dir = settings.importDir();
        if (dir.isEmpty()) {
            return;
        }
        Path inbox = Path.of(dir);
        if (!Files.isDirectory(inbox)) {
            return;
        }
        Map<Path, FileTime> now = new HashMap<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(inbox)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (!Files.isRegularFile(p) || name.startsWith(".") || name.endsWith(".part")) {
                    continue;
                }
                FileTime stamp = FileTime.fromMillis(Files.getLastModifiedTime(p).toMillis() ^ (Files.size(p) << 20));
                now.put(p, stamp);
                if (!stamp.equals(inboxSeen.get(p))) {
                    continue; // still changing, or first sight: look again next scan
                }
                try (InputStream in = Files.newInputStream(p)) {
                    importStream(in, Files.size(p), name, null, null, false);
                    Files.delete(p);
                    now.remove(p);
                } catch (IOException e) {
                    LOG.warn("Cache could not import {} from the inbox: {} (will retry)", LogText.clean(p.toString()),
                            LogText.clean(e.getMessage()));
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Cache inbox {} unreadable: {}", inbox, e.getMessage());
        }
        inboxSeen.clear();
        inboxSeen.putAll(now);
    }

    private static ThreadFactory named(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
