package io.edgeshare.platform.fleet.internal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.edgeshare.api.ap.GeoLocation;
import io.edgeshare.api.fleet.CatalogUpdate;
import io.edgeshare.api.fleet.FleetStore;
import io.edgeshare.api.fleet.Gateway;
import io.edgeshare.api.fleet.GatewayBirth;
import io.edgeshare.api.fleet.GatewayPage;
import io.edgeshare.api.fleet.GatewayQuery;
import io.edgeshare.api.fleet.GatewayReport;
import io.edgeshare.api.telemetry.TelemetrySnapshot;
import io.edgeshare.api.telemetry.TelemetrySource;
import io.edgeshare.platform.session.MessageHandler;
import io.edgeshare.platform.session.PlatformSession;
import io.edgeshare.platform.session.SessionListener;
import io.edgeshare.platform.session.Subscription;
import io.edgeshare.protocol.CatalogItem;
import io.edgeshare.protocol.CatalogMessage;
import io.edgeshare.protocol.GatewayTopic;
import io.edgeshare.protocol.MessageCodec;
import io.edgeshare.protocol.NearbyList;
import io.edgeshare.protocol.NearbySharerEntry;
import io.edgeshare.protocol.Presence;
import io.edgeshare.protocol.ProtocolException;
import io.edgeshare.protocol.StatusReport;
import io.edgeshare.protocol.TopicKind;
import io.edgeshare.protocol.Topics;
import io.edgeshare.support.LogText;

/**
 * Keeps the fleet in the store from what gateways publish (retained presence, status reports, catalogs; docs/mqtt.md
 * through the protocol bundle) and pushes each gateway its nearby list. Messages are queued and written in batches
 * ({@link FleetIngest}); the store's answer feeds the nearby matcher, whose changed lists the pusher delivers
 * within the broker's flow control. At start the grid is loaded from the store and the retained lists are re-read,
 * so only lists that changed are published. A catalog delta the store cannot apply makes a rate-limited
 * {@code cmd/rebirth} ask for a full list.
 */
@Component(configurationPid = "edgeshare.platform.fleet", configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = { FleetView.class, TelemetrySource.class }, immediate = true)
@Designate(ocd = FleetConfig.class)
public final class MqttFleetService implements FleetView, TelemetrySource {
    private static final Logger LOG = LoggerFactory.getLogger(MqttFleetService.class);
    /** The response topic name of the platform's own requests: {@code .../gw/{id}/res/platform-fleet}. */
    static final String RESPONSE_NAME = "platform-fleet";
    /** How long after subscribing the retained lists may take to arrive before lists are published. */
    private static final long REREAD_MS = 2_000;
    /** How often a clustered node reads the store's change feed (what the other node ingested). */
    private static final long FOLLOW_MS = 250;
    /** Retained messages still arriving this recently: the re-read is not over. */
    private static final long QUIET_MS = 500;

    private final FleetStore store;
    private final PlatformSession session;
    private final MessageCodec codec = new MessageCodec();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(
            r -> new Thread(r, "edgeshare-fleet-timers"));
    private final PushLatency latency = new PushLatency();
    private final NearbyPusher pusher;
    private final NearbyMatcher matcher;
    private final FleetIngest ingest;
    private final ChangeFollower follower;
    private final RebirthAsks rebirths;
    /** The operators' full-report asks (one entry per gateway asked, dropped at decommissioning). */
    private final Map<String, Instant> operatorAsks = new ConcurrentHashMap<>();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong resyncs = new AtomicLong();
    private final AtomicBoolean following = new AtomicBoolean();
    private final SessionListener listener = new SessionListener() {
        @Override
        public void connected() {
            if (session.leader() && !released) {
                holdUntilReread();
            }
        }

        @Override
        public void leadership(boolean leader) {
            if (leader) {
                lead();
            } else {
                released = false;
                stopReadingLists();
                pusher.hold();
                LOG.info("edgeshare.platform.fleet: another node leads: this one stops pushing nearby lists");
            }
        }
    };
    private volatile Topics topics;
    private volatile List<Subscription> subscriptions = List.of();
    private volatile Subscription presence;
    /** The retained nearby lists, subscribed only while a leader re-reads them (null otherwise). */
    private Subscription nearbyReread; // guarded by this
    private volatile int maxPacketBytes;
    private volatile int maxInFlight;
    private volatile boolean released;
    private volatile long subscribedAt;
    private volatile long retainedAt; // when the last retained presence or list arrived

    @Activate
    public MqttFleetService(FleetConfig config, @Reference FleetStore store, @Reference PlatformSession session) {
        this.store = store;
        this.session = session;
        this.topics = new Topics(config.topic_prefix());
        this.maxPacketBytes = Math.max(16_384, config.max_packet_bytes());
        this.maxInFlight = config.nearby_max_in_flight();
        // one slot of the broker's receive maximum stays free for commands (rebirth asks) and decommissioning
        this.pusher = new NearbyPusher(this::publishList, timers, latency, System::nanoTime,
                () -> Math.min(maxInFlight, session.receiveMaximum() - 1), true);
        this.matcher = new NearbyMatcher(limits(config), pusher);
        this.rebirths = new RebirthAsks(this::sendRebirth, System::nanoTime, 20);
        this.ingest = new FleetIngest(store, matcher, id -> {
            resyncs.incrementAndGet();
            rebirths.ask(id);
        }, System::nanoTime);
        this.follower = new ChangeFollower(store, matcher, System::nanoTime);
        ingest.submit(new FleetIngest.Task(() -> {
            follower.startAt(store.version());
            ingest.loadFromStore();
        }, System.nanoTime()));
        ingest.start();
        timers.scheduleWithFixedDelay(rebirths::tick, 1, 1, TimeUnit.SECONDS);
        if (session.clustered()) {
            timers.scheduleWithFixedDelay(this::follow, FOLLOW_MS, FOLLOW_MS, TimeUnit.MILLISECONDS);
        }
        session.addListener(listener);
        subscribe();
        if (session.connected() && session.leader()) {
            holdUntilReread();
        }
    }

    private static NearbyMatcher.Limits limits(FleetConfig c) {
        return new NearbyMatcher.Limits(c.nearby_range_m(), Math.max(1, c.nearby_max_sharers()),
                Math.max(0, c.nearby_max_content_ids()));
    }

    /**
     * Presence reaches every node (each keeps its matcher); status reports and catalogs are split between the nodes
     * when clustered (shared subscriptions). The nearby lists are read only by {@link #holdUntilReread()}.
     */
    private void subscribe() {
        Topics t = topics;
        MessageHandler handler = handler();
        Subscription p = session.subscribe(t.everyGateway(TopicKind.PRESENCE), false, handler);
        presence = p;
        subscriptions = List.of(p,
                session.subscribe(t.everyGateway(TopicKind.STATUS), true, handler),
                session.subscribe(t.everyGateway(TopicKind.CATALOG), true, handler));
    }

    private MessageHandler handler() {
        return (topic, m, done) -> handle(topic, m.getPayload(), m.isRetained(), done);
    }

    /**
     * What each gateway was last sent (the retained lists), read when this node starts to lead so unchanged lists
     * are not pushed again. Only while re-reading: subscribed for good, the node would receive every list it
     * publishes back (as many messages again as it pushes, on the thread that also reads births and reports).
     */
    private synchronized void readRetainedLists() {
        if (nearbyReread == null) {
            nearbyReread = session.subscribe(topics.everyGateway(TopicKind.NEARBY), false, handler());
        }
    }

    private synchronized void stopReadingLists() {
        if (nearbyReread != null) {
            nearbyReread.close();
            nearbyReread = null;
        }
    }

    /** This node leads now: it re-reads retained presence, asks for missing catalogs, then pushes lists. */
    private void lead() {
        LOG.info("edgeshare.platform.fleet: this node leads: re-reading presence, then pushing nearby lists");
        Subscription p = presence;
        if (p != null) {
            p.reread();
        }
        ingest.submit(new FleetIngest.Task(() -> {
            follower.follow();
            ingest.askMissingCatalogs();
        }, System.nanoTime()));
        holdUntilReread();
    }

    private void holdUntilReread() {
        subscribedAt = System.nanoTime();
        readRetainedLists();
        schedule(this::release, REREAD_MS);
    }

    private void follow() {
        if (following.compareAndSet(false, true)) {
            ingest.submit(new FleetIngest.Task(() -> {
                following.set(false);
                follower.follow();
            }, System.nanoTime()));
        }
    }

    /**
     * Publishing starts once the retained lists and births re-read at start are in: lists equal to what the
     * gateways hold are then dropped (up to {@code 5 * REREAD_MS} while the ingest queue still drains or retained
     * messages still arrive: a busy machine may deliver them late).
     */
    private void release() {
        if (!session.leader()) {
            return;
        }
        long now = System.nanoTime();
        boolean rereading = ingest.neighbourhoodChangesQueued() > 0
                || now - retainedAt < TimeUnit.MILLISECONDS.toNanos(QUIET_MS);
        if (rereading && now - subscribedAt < TimeUnit.MILLISECONDS.toNanos(5 * REREAD_MS)) {
            schedule(this::release, 200);
            return;
        }
        released = true;
        stopReadingLists();
        pusher.release();
    }

    private void schedule(Runnable r, long ms) {
        try {
            timers.schedule(r, ms, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // deactivating
        }
    }

    /** Nearby limits change in place (the grid is rebuilt, only changed lists go out); a new prefix resubscribes. */
    @Modified
    void modified(FleetConfig config) {
        maxPacketBytes = Math.max(16_384, config.max_packet_bytes());
        maxInFlight = config.nearby_max_in_flight();
        NearbyMatcher.Limits limits = limits(config);
        ingest.submit(new FleetIngest.Task(() -> {
            if (!limits.equals(matcher.limits())) {
                LOG.info("edgeshare.platform.fleet: nearby range {} m, {} sharers, {} content ids", limits.rangeM(),
                        limits.maxSharers(), limits.maxContentIds());
                matcher.reconfigure(limits, System.nanoTime());
            }
        }, System.nanoTime()));
        if (!config.topic_prefix().equals(topics.prefix())) {
            subscriptions.forEach(Subscription::close);
            stopReadingLists();
            topics = new Topics(config.topic_prefix());
            subscribe();
        }
    }

    @Deactivate
    void deactivate() {
        session.removeListener(listener);
        subscriptions.forEach(Subscription::close);
        stopReadingLists();
        ingest.close();
        timers.shutdownNow();
    }

    private CompletionStage<Void> publishList(String deviceId, List<NearbySharerEntry> sharers) {
        byte[] body = codec.encode(new NearbyList(Instant.now(), sharers));
        return session.publish(topics.topic(deviceId, TopicKind.NEARBY), body, true, null);
    }

    private void sendRebirth(String deviceId) {
        LOG.info("edgeshare.platform.fleet: asking {} for a full content list", deviceId);
        MqttProperties props = new MqttProperties();
        props.setResponseTopic(topics.response(deviceId, RESPONSE_NAME));
        props.setCorrelationData(UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
        props.setContentType("application/json");
        session.publish(topics.command(deviceId, "rebirth"), "{}".getBytes(StandardCharsets.UTF_8), false, props)
                .whenComplete((v, e) -> {
                    if (e != null) {
                        LOG.warn("edgeshare.platform.fleet: rebirth request to {} not sent: {}", deviceId,
                                e.getMessage());
                    }
                });
    }

    @Override
    public GatewayPage gateways(GatewayQuery query) {
        return store.gateways(query);
    }

    @Override
    public Optional<Gateway> gateway(String deviceId) {
        return store.gateway(deviceId);
    }

    @Override
    public Optional<GatewayReport> lastReport(String deviceId) {
        return store.lastReport(deviceId);
    }

    @Override
    public List<GatewayReport> reports(String deviceId, Instant before, int limit) {
        return store.reportHistory(deviceId, before, limit);
    }

    @Override
    public Instant askFullReport(String deviceId) {
        Instant at = Instant.now();
        operatorAsks.put(deviceId, at);
        sendRebirth(deviceId); // the operator's own ask: not held back by the fleet-wide rate of RebirthAsks
        return at;
    }

    @Override
    public Optional<Instant> fullReportAskedAt(String deviceId) {
        return Optional.ofNullable(operatorAsks.get(deviceId));
    }

    @Override
    public List<NearbySharerEntry> nearby(String deviceId) {
        return pusher.sent(deviceId).orElse(List.of());
    }

    @Override
    public boolean decommission(String deviceId) {
        if (!store.decommission(deviceId, Instant.now())) {
            return false;
        }
        long origin = System.nanoTime();
        ingest.submit(new FleetIngest.Task(() -> matcher.decommissioned(deviceId, origin), origin));
        pusher.forget(deviceId);
        operatorAsks.remove(deviceId);
        // an empty retained message clears the topic: a stale birth cannot bring it back, its list is gone
        for (TopicKind kind : List.of(TopicKind.PRESENCE, TopicKind.NEARBY)) {
            session.publish(topics.topic(deviceId, kind), new byte[0], true, null);
        }
        LOG.info("edgeshare.platform.fleet: {} decommissioned", deviceId);
        return true;
    }

    @Override
    public long rejectedMessages() {
        return rejected.get();
    }

    @Override
    public long catalogResyncs() {
        return resyncs.get();
    }

    @Override
    public boolean connected() {
        return session.connected();
    }

    /** Lists and messages not yet written or acknowledged (0 when the fleet is settled). */
    int backlog() {
        return ingest.queued() + pusher.waiting();
    }

    @Override
    public String name() {
        return "fleet";
    }

    @Override
    public TelemetrySnapshot snapshot() {
        Map<String, Number> metrics = new HashMap<>();
        metrics.put("gateways", ingest.gateways());
        metrics.put("gateways.online", ingest.online());
        metrics.put("reports", ingest.reports());
        latency.addTo(metrics);
        return new TelemetrySnapshot("fleet", Instant.now(), metrics,
                Map.of("state", connected() ? "connected" : "disconnected"));
    }

    /**
     * One message from the broker. {@code done} (the broker's acknowledgement) runs once it is in the store, or
     * at once when there is nothing to store (rejected, a list re-read).
     */
    void handle(String topic, byte[] payload, boolean retained, Runnable done) {
        long origin = System.nanoTime();
        if (retained) {
            retainedAt = origin;
        }
        if (payload.length > maxPacketBytes) {
            reject(topic, "message of " + payload.length + " bytes is larger than max.packet.bytes");
            done.run();
            return;
        }
        try {
            GatewayTopic t = topics.parse(topic);
            if (payload.length == 0) {
                done.run();
                return; // a cleared retained topic (decommissioning)
            }
            switch (t.kind()) {
                case PRESENCE -> {
                    // presence is retained (births and wills): re-read at every start, it needs no store first
                    done.run();
                    presence(sameDevice(t, codec.decode(payload, Presence.class)), origin, null);
                }
                case STATUS -> {
                    StatusReport r = codec.decode(payload, StatusReport.class);
                    sameDevice(t, r.deviceId());
                    ingest.submit(new FleetIngest.Report(new GatewayReport(t.deviceId(), Instant.now(),
                            new String(payload, StandardCharsets.UTF_8)), origin), done);
                }
                case CATALOG -> catalog(t, codec.decode(payload, CatalogMessage.class), origin, done);
                case NEARBY -> {
                    if (retained) {
                        pusher.remember(t.deviceId(), codec.decode(payload, NearbyList.class).sharers());
                    }
                    done.run();
                }
                default -> {
                    reject(topic, "not a topic the fleet reads");
                    done.run();
                }
            }
        } catch (ProtocolException e) {
            reject(topic, e.getMessage());
            done.run();
        }
    }

    private Presence sameDevice(GatewayTopic t, Presence p) throws ProtocolException {
        sameDevice(t, p.deviceId());
        return p;
    }

    /** A gateway speaks only for itself: the payload's device id must be the topic's. */
    private static void sameDevice(GatewayTopic t, String claimed) throws ProtocolException {
        if (!t.deviceId().equals(claimed)) {
            throw new ProtocolException("deviceId " + claimed + " differs from the topic's " + t.deviceId());
        }
    }

    private void presence(Presence p, long origin, Runnable done) {
        Instant at = p.ts() == null ? Instant.now() : p.ts();
        if (!p.online()) {
            ingest.submit(new FleetIngest.Death(p.deviceId(), p.seq(), Instant.now(), origin), done);
            return;
        }
        GeoLocation location = null;
        if (p.location() != null) {
            try {
                location = new GeoLocation(p.location().lat(), p.location().lon());
            } catch (IllegalArgumentException e) {
                location = null; // no usable location: never "in range"
            }
        }
        ingest.submit(new FleetIngest.Birth(new GatewayBirth(p.deviceId(), p.seq(), at, text(p.model()),
                text(p.profile()), text(p.firmware()), location, text(p.portalUrl()),
                p.capabilities() == null ? List.of() : p.capabilities()), p.name(), origin), done);
    }

    private void catalog(GatewayTopic t, CatalogMessage c, long origin, Runnable done) throws ProtocolException {
        sameDevice(t, c.deviceId());
        List<io.edgeshare.api.fleet.CatalogItem> items = new ArrayList<>();
        for (CatalogItem i : c.full() ? c.items() : c.upserted()) {
            items.add(new io.edgeshare.api.fleet.CatalogItem(i.id(), text(i.title()), text(i.mediaType()), i.size(),
                    text(i.sha256()), text(i.category())));
        }
        CatalogUpdate u = c.full() ? CatalogUpdate.full(t.deviceId(), c.rev(), items, Instant.now())
                : CatalogUpdate.delta(t.deviceId(), c.baseRev() == null ? -1 : c.baseRev(), c.rev(), items, c.removed(), Instant.now());
        ingest.submit(new FleetIngest.CatalogChange(u, origin), done);
    }

    private static String text(String s) {
        return s == null ? "" : s;
    }

    private void reject(String where, String why) {
        rejected.incrementAndGet();
        LOG.warn("edgeshare.platform.fleet: ignored message on {}: {}", where, LogText.clean(why));
    }
}
