package io.edgeshare.audio.internal;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.edgeshare.api.audio.AudioChannel;
import io.edgeshare.api.audio.ChannelStatus;
import io.edgeshare.api.audio.JoinRequest;
import io.edgeshare.api.audio.TrackRequest;
import io.edgeshare.audio.internal.fifo.Chunk;
import io.edgeshare.audio.internal.fifo.FifoRing;
import io.edgeshare.audio.internal.fifo.IcyMetadata;
import io.edgeshare.audio.internal.library.DownloadFolder;
import io.edgeshare.audio.internal.library.HttpTrackCatalog;
import io.edgeshare.audio.internal.library.UrlPrefixes;
import io.edgeshare.audio.internal.library.Library;
import io.edgeshare.audio.internal.library.Track;
import io.edgeshare.audio.internal.library.TrackCatalog;

/**
 * One live audio channel (claims B1 to B9): a pacer thread writes the programme into the channel's FIFO
 * ring at real time; every listener reads the same chunks from it. One component per factory
 * configuration; {@code @Modified} applies every key in place, so listeners stay connected.
 */
@Component(configurationPid = FifoAudioChannel.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = { AudioChannel.class, LiveChannel.class })
@Designate(ocd = ChannelConfig.class, factory = true)
public final class FifoAudioChannel implements LiveChannel {

    public static final String FACTORY_PID = "edgeshare.audio.channel";

    private static final Logger LOG = LoggerFactory.getLogger(FifoAudioChannel.class);
    private static final int FANOUT_BATCH = 128;
    private static final int MAX_REMEMBERED_REQUESTS = 500;

    private final Path dataDir;
    private final Library library;
    private final Sequencer sequencer;
    private final Admission admission;
    private final FifoRing ring;
    private final ChannelEngine engine;
    private final Thread pacerThread;
    private final ExecutorService fanout;
    private final ExecutorService searches;
    private final Set<ChannelListener> listeners = ConcurrentHashMap.newKeySet();
    private final ConcurrentLinkedQueue<ChannelListener> waiting = new ConcurrentLinkedQueue<>();
    private final Map<String, RequestState> requests = new LinkedHashMap<>();
    private final LongAdder bytesSent = new LongAdder();
    private final AtomicLong served = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong warningsCount = new AtomicLong();
    private final Object admitLock = new Object();
    private volatile Settings settings;
    private volatile TrackCatalog catalog;
    private volatile IcyMetadata lastIcy;
    private volatile int bitrateKbps;
    private volatile String configError = "";
    private long nextSeq;
    private final SendQueueProbe probe;
    private long lastProbeNanos;
    private final java.util.concurrent.atomic.AtomicBoolean probing = new java.util.concurrent.atomic.AtomicBoolean();

    private static final class RequestState {
        final String id;
        final String query;
        volatile String title = "";
        volatile String source = "";
        volatile String state = TrackRequest.SEARCHING;
        volatile String detail = "";

        RequestState(String id, String query) {
            this.id = id;
            this.query = query;
        }
    }

    @Activate
    public FifoAudioChannel(ChannelConfig config, BundleContext context) {
        this(Settings.from(config, dataDir(context)), dataDir(context), Pacer.SYSTEM,
                SendQueueProbe.ProcNetTcp.forThisHost());
    }

    /** Starts a channel outside OSGi (tests, benchmarks). */
    public FifoAudioChannel(Settings initial, Path dataDir, Pacer pacer, SendQueueProbe probe) {
        this.settings = initial;
        this.probe = probe;
        this.dataDir = dataDir;
        this.library = new Library(this::warn);
        this.sequencer = new Sequencer(new Random(), this::warn);
        this.sequencer.configure(initial);
        this.admission = new Admission(initial.admission(), initial.maxListeners(), Clock.systemUTC());
        this.ring = new FifoRing(initial.bufferNanos(), initial.thresholdNanos(), initial.chunkNanos());
        this.catalog = catalogFor(initial);
        this.fanout = new ThreadPoolExecutor(fanoutThreads(), fanoutThreads(), 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> daemon(r, "audio-fanout-" + initial.id()));
        this.searches = Executors.newSingleThreadExecutor(r -> daemon(r, "audio-search-" + initial.id()));
        this.engine = new ChannelEngine(initial.id(), sequencer, () -> settings, pacer, this::publish, this::warn);
        this.pacerThread = daemon(engine, "audio-pacer-" + initial.id());
        this.pacerThread.setPriority(Thread.MAX_PRIORITY);
        pacerThread.start();
        LOG.info("audio channel {} started: playlist {}, pipe {}, buffer {} ms, admission {}", initial.id(),
                initial.playlist(), initial.pipe(), initial.bufferNanos() / 1_000_000, initial.admission());
    }

    private static int fanoutThreads() {
        return Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    static Path dataDir(BundleContext context) {
        return InstanceData.resolve(context, "");
    }

    @Modified
    void modified(ChannelConfig config) {
        Settings next;
        try {
            next = Settings.from(config, dataDir);
        } catch (IllegalArgumentException e) {
            configError = e.getMessage();
            LOG.error("audio channel {}: configuration rejected, keeping the previous one: {}", settings.id(),
                    e.getMessage());
            return;
        }
        configError = "";
        apply(next);
    }

    /** Applies new settings in place; listeners stay connected, the item playing finishes. */
    public void apply(Settings next) {
        Settings prev = settings;
        if (prev.bufferNanos() != next.bufferNanos() || prev.thresholdNanos() != next.thresholdNanos()
                || prev.chunkNanos() != next.chunkNanos()) {
            ring.resize(next.bufferNanos(), next.thresholdNanos(), next.chunkNanos());
        }
        admission.configure(next.admission(), next.maxListeners());
        sequencer.configure(next);
        if (!Objects.equals(prev.catalogUrl(), next.catalogUrl())
                || !prev.originAllowedPrefixes().equals(next.originAllowedPrefixes())
                || prev.downloadsQuotaBytes() != next.downloadsQuotaBytes()) {
            catalog = catalogFor(next);
        }
        settings = next;
        LOG.info("audio channel {} reconfigured in place ({} listeners kept): playlist {}, buffer {} ms, "
                + "admission {}, breaks every {}", next.id(), listeners.size(), next.playlist(),
                next.bufferNanos() / 1_000_000, next.admission(), next.breaksEvery());
    }

    private TrackCatalog catalogFor(Settings s) {
        if (s.catalogUrl().isEmpty()) {
            return null;
        }
        return new HttpTrackCatalog(URI.create(s.catalogUrl()), UrlPrefixes.of(s.originAllowedPrefixes()),
                new DownloadFolder(dataDir.resolve("audio-downloads"), s.downloadsQuotaBytes()), this::warn);
    }

    @Deactivate
    public void deactivate() {
        engine.stop();
        pacerThread.interrupt();
        try {
            pacerThread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (ChannelListener l : List.copyOf(listeners)) {
            l.drop("channel stopped");
        }
        fanout.shutdownNow();
        searches.shutdownNow();
        LOG.info("audio channel {} stopped", settings.id());
    }

    private String lastWarning = "";
    private long lastWarningNanos;
    private int repeatedWarnings;

    /** Logs a problem with the programme; the same message again within a minute is only counted. */
    private void warn(String message) {
        warningsCount.incrementAndGet();
        synchronized (warningsCount) {
            long now = System.nanoTime();
            if (message.equals(lastWarning) && now - lastWarningNanos < 60_000_000_000L) {
                repeatedWarnings++;
                return;
            }
            if (repeatedWarnings > 0) {
                LOG.warn("audio channel {}: previous warning repeated {} times", settings.id(), repeatedWarnings);
            }
            lastWarning = message;
            lastWarningNanos = now;
            repeatedWarnings = 0;
        }
        LOG.warn("audio channel {}: {}", settings.id(), LogText.clean(message));
    }

    // ---- the FIFO writer side

    private void publish(byte[] frames, long durationNanos, IcyMetadata icy) {
        Chunk chunk = new Chunk(nextSeq++, frames, durationNanos, icy);
        ring.append(chunk);
        lastIcy = icy;
        if (frames.length >= 4) {
            var h = io.edgeshare.audio.internal.mp3.FrameHeader.parse(frames, 0);
            if (h != null) {
                bitrateKbps = h.bitrateKbps();
            }
        }
        if (!ring.ready()) {
            return;
        }
        wakeWaiting();
        long now = System.nanoTime();
        if (now - lastProbeNanos >= 1_000_000_000L && !listeners.isEmpty() && probing.compareAndSet(false, true)) {
            lastProbeNanos = now;
            try {
                fanout.execute(this::dropStalled);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                probing.set(false);
            }
        }
        long oldest = ring.oldest();
        for (ChannelListener l : listeners) {
            long p = l.position();
            if (p >= 0 && p < oldest && l.drop("fell more than " + settings.bufferNanos() / 1_000_000 + " ms behind the live edge")) {
                dropped.incrementAndGet();
            }
        }
    }

    /**
     * Drops listeners whose unread audio in the kernel's send queue exceeds the buffer length: they stopped
     * reading, even though writes to them still succeed.
     */
    private void dropStalled() {
        try {
            int kbps = bitrateKbps;
            if (kbps <= 0) {
                return;
            }
            long limit = kbps * 125L * settings.bufferNanos() / 1_000_000_000L;
            Map<Long, Integer> queued = probe.queuedBytes();
            for (ChannelListener l : listeners) {
                Integer q = queued.get(l.connectionKey());
                if (q != null && q > limit && l.drop("stopped reading: " + q + " bytes (more than "
                        + settings.bufferNanos() / 1_000_000 + " ms of audio) wait unread in the send queue")) {
                    dropped.incrementAndGet();
                }
            }
        } finally {
            probing.set(false);
        }
    }

    private void wakeWaiting() {
        List<ChannelListener> batch = new ArrayList<>(FANOUT_BATCH);
        ChannelListener l;
        while ((l = waiting.poll()) != null) {
            batch.add(l);
            if (batch.size() == FANOUT_BATCH) {
                submit(batch);
                batch = new ArrayList<>(FANOUT_BATCH);
            }
        }
        if (!batch.isEmpty()) {
            submit(batch);
        }
    }

    private void submit(List<ChannelListener> batch) {
        try {
            fanout.execute(() -> {
                for (ChannelListener x : batch) {
                    x.wake();
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // shutting down
        }
    }

    // ---- listeners

    @Override
    public Admission.Decision attach(ChannelListener listener) {
        synchronized (admitLock) {
            Admission.Decision d = admission.admit(listener.ticket(), listeners.size());
            if (!d.admitted()) {
                rejected.incrementAndGet();
                return d;
            }
            listeners.add(listener);
        }
        served.incrementAndGet();
        return Admission.Decision.ADMIT_OK;
    }

    @Override
    public void detach(ChannelListener listener) {
        if (listeners.remove(listener)) {
            waiting.remove(listener);
        }
    }

    @Override
    public void await(ChannelListener listener) {
        waiting.add(listener);
        // a chunk may have been published between the listener's check and now
        long p = listener.position();
        if (ring.ready() && p >= 0 && p <= ring.head() && waiting.remove(listener)) {
            submit(List.of(listener));
        } else if (p < 0 && ring.ready() && waiting.remove(listener)) {
            submit(List.of(listener));
        }
    }

    @Override
    public void countBytes(long n) {
        bytesSent.add(n);
    }

    // ---- API

    @Override
    public String id() {
        return settings.id();
    }

    @Override
    public Settings settings() {
        return settings;
    }

    @Override
    public FifoRing ring() {
        return ring;
    }

    @Override
    public Admission admission() {
        return admission;
    }

    @Override
    public int bitrateKbps() {
        return bitrateKbps;
    }

    @Override
    public ChannelStatus status() {
        PlayItem p = engine.playing();
        return new ChannelStatus(settings.id(), p == null ? "" : p.displayTitle(), sequencer.upcoming(5),
                listeners.size(), ring.filledNanos() / 1_000_000, ring.bufferNanos() / 1_000_000,
                p != null && p.interstitial());
    }

    @Override
    public Details details() {
        PlayItem p = engine.playing();
        List<QueueEntry> queue = new ArrayList<>();
        int pos = 1;
        for (PlayItem q : sequencer.queue()) {
            RequestState r;
            synchronized (requests) {
                r = requests.get(q.requestId());
            }
            queue.add(new QueueEntry(q.requestId(), q.title(), r == null ? "" : r.source, pos++));
        }
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (ChannelListener l : listeners) {
            long x = l.position();
            if (x >= 0) {
                min = Math.min(min, x);
                max = Math.max(max, x);
            }
        }
        Settings s = settings;
        ChannelEngine.Stats st = engine.stats();
        return new Details(s.id(), s.name(), p == null ? "" : p.displayTitle(),
                p == null ? "idle" : p.kind().name().toLowerCase(), engine.playingForNanos() / 1_000_000,
                sequencer.upcoming(5), queue, listeners.size(), ring.filledNanos() / 1_000_000,
                ring.bufferNanos() / 1_000_000, ring.ready(), p != null && p.interstitial(),
                admission.mode().name().toLowerCase(), admission.maxListeners(),
                (int) admission.list().stream().filter(j -> j.state().equals(JoinRequest.PENDING)).count(),
                bytesSent.sum(), served.get(), dropped.get(), rejected.get(), st.underruns(),
                st.silenceNanos() / 1_000_000, ring.head(), ring.oldest(), min == Long.MAX_VALUE ? -1 : min,
                max == Long.MIN_VALUE ? -1 : max, bitrateKbps, configError);
    }

    /** The ICY title of the newest chunk. */
    public String currentTitle() {
        IcyMetadata i = lastIcy;
        return i == null ? "" : i.title();
    }

    @Override
    public List<JoinRequest> joinRequests() {
        return admission.list();
    }

    /** A client asks to join; answered at once in open and capped modes. */
    public JoinRequest requestJoin(String client) {
        JoinRequest r = admission.request(client, listeners.size());
        LOG.info("audio channel {}: join request {} from {} is {}", settings.id(), r.id(), LogText.clean(client),
                r.state());
        return r;
    }

    public Optional<JoinRequest> joinRequest(String id) {
        return admission.get(id);
    }

    @Override
    public Optional<JoinRequest> decide(String requestId, boolean approve) {
        Optional<JoinRequest> r = admission.decide(requestId, approve);
        r.ifPresent(j -> LOG.info("audio channel {}: join request {} from {} {}", settings.id(), j.id(),
                LogText.clean(j.client()), j.state()));
        if (r.isPresent() && !approve) {
            for (ChannelListener l : listeners) {
                if (!admission.ticketValid(l.ticket())) {
                    l.drop("the owner withdrew the approval");
                }
            }
        }
        return r;
    }

    @Override
    public TrackRequest requestTrack(String query, String requester) {
        Settings s = settings;
        if (query == null || query.isBlank()) {
            throw new IllegalArgumentException("name a track: title, artist or file name");
        }
        if (sequencer.queued() >= s.maxQueue()) {
            throw new IllegalStateException("the request queue is full (" + s.maxQueue() + ")");
        }
        RequestState r = new RequestState(UUID.randomUUID().toString().substring(0, 8), query.strip());
        remember(r);
        Optional<Track> local = library.search(r.query, libraryRoots(s));
        if (local.isPresent()) {
            DownloadFolder.pickedAgain(dataDir.resolve("audio-downloads"), local.get().file());
            queue(r, local.get(), "local");
        } else if (catalog != null) {
            TrackCatalog c = catalog;
            searches.execute(() -> fetch(r, c));
        } else {
            r.state = TrackRequest.FAILED;
            r.detail = "no track matches '" + r.query + "' in the library and no network catalog is configured";
        }
        LOG.info("audio channel {}: {} requested '{}': {}", settings.id(), LogText.clean(requester),
                LogText.clean(r.query), r.state);
        return view(r);
    }

    private void fetch(RequestState r, TrackCatalog c) {
        try {
            Optional<Track> t = c.fetch(r.query);
            if (t.isPresent()) {
                queue(r, t.get(), "network");
            } else {
                r.detail = "no track matches '" + r.query + "' in the library or the network catalog";
                r.state = TrackRequest.FAILED;
            }
        } catch (java.io.IOException | RuntimeException e) {
            r.detail = "network catalog: " + e.getMessage();
            r.state = TrackRequest.FAILED;
            warn("on-demand request '" + r.query + "' failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void queue(RequestState r, Track t, String source) {
        r.title = t.title();
        r.source = source;
        sequencer.enqueue(new PlayItem(PlayItem.Kind.REQUEST, t.file(), t.title(), r.id));
        r.state = TrackRequest.QUEUED;
    }

    private List<Path> libraryRoots(Settings s) {
        List<Path> roots = new ArrayList<>();
        if (s.playlist() != null) {
            Path pl = s.playlist();
            String n = pl.getFileName() == null ? "" : pl.getFileName().toString().toLowerCase();
            if (n.endsWith(".m3u") || n.endsWith(".m3u8")) {
                roots.addAll(new io.edgeshare.audio.internal.library.Playlist(pl, false, false, new Random(0),
                        w -> { }).files());
            } else {
                roots.add(pl);
            }
        }
        if (s.libraryDir() != null) {
            roots.add(s.libraryDir());
        }
        roots.add(dataDir.resolve("audio-downloads"));
        return roots;
    }

    private void remember(RequestState r) {
        synchronized (requests) {
            requests.put(r.id, r);
            Iterator<RequestState> it = requests.values().iterator();
            while (requests.size() > MAX_REMEMBERED_REQUESTS && it.hasNext()) {
                it.next();
                it.remove();
            }
        }
    }

    @Override
    public Optional<TrackRequest> trackRequest(String requestId) {
        RequestState r;
        synchronized (requests) {
            r = requests.get(requestId);
        }
        return r == null ? Optional.empty() : Optional.of(view(r));
    }

    private TrackRequest view(RequestState r) {
        String state = r.state;
        int position = 0;
        if (state.equals(TrackRequest.QUEUED) || state.equals(TrackRequest.PLAYING)) {
            PlayItem p = engine.playing();
            position = sequencer.position(r.id);
            if (p != null && r.id.equals(p.requestId())) {
                state = TrackRequest.PLAYING;
                r.state = state;
            } else if (position == 0 && !(sequencer.current() != null && r.id.equals(sequencer.current().requestId()))) {
                state = TrackRequest.PLAYED;
                r.state = state;
            }
        }
        return new TrackRequest(r.id, r.query, r.title, r.source, state, position, r.detail);
    }

    /** Figures for telemetry. */
    public long bytesSentTotal() {
        return bytesSent.sum();
    }

    public long droppedTotal() {
        return dropped.get();
    }

    public long rejectedTotal() {
        return rejected.get();
    }

    public long underrunsTotal() {
        return engine.stats().underruns();
    }

    public long warningsTotal() {
        return warningsCount.get();
    }
}
