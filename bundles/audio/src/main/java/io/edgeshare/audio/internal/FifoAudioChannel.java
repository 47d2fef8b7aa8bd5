package io.edgeshare.audio.internal;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

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
import io.edgeshare.support.InstanceData;
import io.edgeshare.support.LogText;

/**
 * One live audio channel (claims B1 to B9): a pacer thread writes the programme into the channel's FIFO
 * ring at real time; every listener reads the same chunks from it. Its {@link ListenerHub} admits, wakes
 * and drops the listeners. One component per factory
 * configuration; {@code @Modified} applies every key in place, so listeners stay connected.
 */
@Component(configurationPid = FifoAudioChannel.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = { AudioChannel.class, LiveChannel.class })
@Designate(ocd = ChannelConfig.class, factory = true)
public final class FifoAudioChannel implements LiveChannel {

    public static final String FACTORY_PID = "edgeshare.audio.channel";

    private static final Logger LOG = LoggerFactory.getLogger(FifoAudioChannel.class);

    private final Path dataDir;
    private final Sequencer sequencer;
    private final Admission admission;
    private final FifoRing ring;
    private final ChannelEngine engine;
    private final Thread pacerThread;
    private final ListenerHub hub;
    private final TrackRequests requests;
    private final AtomicLong warningsCount = new AtomicLong();
    private volatile Settings settings;
    private volatile IcyMetadata lastIcy;
    private volatile int bitrateKbps;
    private volatile String configError = "";
    private long nextSeq;

    @Activate
    public FifoAudioChannel(ChannelConfig config, BundleContext context) {
        this(Settings.from(config, dataDir(context)), dataDir(context), Pacer.SYSTEM,
                SendQueueProbe.ProcNetTcp.forThisHost());
    }

    /** Starts a channel outside OSGi (tests, benchmarks). */
    public FifoAudioChannel(Settings initial, Path dataDir, Pacer pacer, SendQueueProbe probe) {
        this.settings = initial;
        this.dataDir = dataDir;
        this.sequencer = new Sequencer(new Random(), this::warn);
        this.sequencer.configure(initial);
        this.admission = new Admission(initial.admission(), initial.maxListeners(), Clock.systemUTC());
        this.ring = new FifoRing(initial.bufferNanos(), initial.thresholdNanos(), initial.chunkNanos());
        this.hub = new ListenerHub(initial.id(), ring, admission, probe, () -> settings.bufferNanos(),
                () -> bitrateKbps);
        this.engine = new ChannelEngine(initial.id(), sequencer, () -> settings, pacer, this::publish, this::warn);
        this.requests = new TrackRequests(initial, dataDir, sequencer, engine, this::warn);
        this.pacerThread = daemon(engine, "audio-pacer-" + initial.id());
        this.pacerThread.setPriority(Thread.MAX_PRIORITY);
        pacerThread.start();
        LOG.info("audio channel {} started: playlist {}, pipe {}, buffer {} ms, admission {}", initial.id(),
                initial.playlist(), initial.pipe(), initial.bufferNanos() / 1_000_000, initial.admission());
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
        requests.configure(next);
        settings = next;
        LOG.info("audio channel {} reconfigured in place ({} listeners kept): playlist {}, buffer {} ms, "
                + "admission {}, breaks every {}", next.id(), hub.size(), next.playlist(),
                next.bufferNanos() / 1_000_000, next.admission(), next.breaksEvery());
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
        hub.close("channel stopped");
        requests.close();
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
        hub.published();
    }

    // ---- listeners

    @Override
    public Admission.Decision attach(ChannelListener listener) {
        return hub.attach(listener);
    }

    @Override
    public void detach(ChannelListener listener) {
        hub.detach(listener);
    }

    @Override
    public void await(ChannelListener listener) {
        hub.await(listener);
    }

    @Override
    public void countBytes(long n) {
        hub.countBytes(n);
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
                hub.size(), ring.filledNanos() / 1_000_000, ring.bufferNanos() / 1_000_000,
                p != null && p.interstitial());
    }

    @Override
    public Details details() {
        PlayItem p = engine.playing();
        List<QueueEntry> queue = new ArrayList<>();
        int pos = 1;
        for (PlayItem q : sequencer.queue()) {
            queue.add(new QueueEntry(q.requestId(), q.title(), requests.source(q.requestId()), pos++));
        }
        long[] spread = hub.positionSpread();
        Settings s = settings;
        ChannelEngine.Stats st = engine.stats();
        return new Details(s.id(), s.name(), p == null ? "" : p.displayTitle(),
                p == null ? "idle" : p.kind().name().toLowerCase(), engine.playingForNanos() / 1_000_000,
                sequencer.upcoming(5), queue, hub.size(), hub.directCount(), ring.filledNanos() / 1_000_000,
                ring.bufferNanos() / 1_000_000, ring.ready(), p != null && p.interstitial(),
                admission.mode().name().toLowerCase(), admission.maxListeners(),
                (int) admission.list().stream().filter(j -> j.state().equals(JoinRequest.PENDING)).count(),
                hub.bytesSent(), hub.served(), hub.dropped(), hub.rejected(), st.underruns(),
                st.silenceNanos() / 1_000_000, ring.head(), ring.oldest(), spread[0], spread[1], bitrateKbps,
                configError);
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
        JoinRequest r = admission.request(client, hub.size());
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
            hub.dropIf(l -> !admission.ticketValid(l.ticket()), "the owner withdrew the approval");
        }
        return r;
    }

    @Override
    public TrackRequest requestTrack(String query, String requester) {
        return requests.request(query, requester);
    }

    @Override
    public Optional<TrackRequest> trackRequest(String requestId) {
        return requests.get(requestId);
    }

    /** Figures for telemetry. */
    public long bytesSentTotal() {
        return hub.bytesSent();
    }

    public long droppedTotal() {
        return hub.dropped();
    }

    public long rejectedTotal() {
        return hub.rejected();
    }

    public long underrunsTotal() {
        return engine.stats().underruns();
    }

    public long warningsTotal() {
        return warningsCount.get();
    }
}
