package io.edgeshare.platform.fleet.internal;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.edgeshare.api.broker.PlatformBrokerLogin;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.edgeshare.protocol.CatalogItem;
import io.edgeshare.protocol.CatalogMessage;
import io.edgeshare.protocol.GatewayTopic;
import io.edgeshare.protocol.MessageCodec;
import io.edgeshare.protocol.NearbyList;
import io.edgeshare.protocol.NearbySharerEntry;
import io.edgeshare.protocol.Presence;
import io.edgeshare.protocol.ProtocolException;
import io.edgeshare.protocol.SourceReport;
import io.edgeshare.protocol.StatusReport;
import io.edgeshare.protocol.TopicKind;
import io.edgeshare.protocol.Topics;

/**
 * Keeps the fleet registry from what gateways publish: retained presence (births and wills), periodic status
 * reports and catalogs (docs/mqtt.md, read through the protocol bundle). A catalog delta that does not start
 * from the revision held is dropped and the gateway is asked for a full list ({@code cmd/rebirth}). A
 * configuration change restarts the component (a new broker means a new session anyway).
 */
@Component(configurationPid = "edgeshare.platform.fleet", configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = FleetView.class, immediate = true)
@Designate(ocd = FleetConfig.class)
public final class MqttFleetService implements FleetView {
    private static final Logger LOG = LoggerFactory.getLogger(MqttFleetService.class);
    /** The response topic name of the platform's own requests: {@code .../gw/{id}/res/platform-fleet}. */
    static final String RESPONSE_NAME = "platform-fleet";
    private static final long REBIRTH_EVERY_MS = 60_000;

    private final FleetRegistry registry = new FleetRegistry(Clock.systemUTC());
    private final MessageCodec codec = new MessageCodec();
    private final NearbyIndex nearby;
    private final Map<String, List<NearbyIndex.Sharer>> pushed = new ConcurrentHashMap<>();
    private final Map<String, Long> rebirthAsked = new ConcurrentHashMap<>(); // only touched on nearbyExecutor
    private final ScheduledExecutorService nearbyExecutor = Executors.newSingleThreadScheduledExecutor(
            r -> new Thread(r, "edgeshare-fleet-nearby"));
    private ScheduledFuture<?> nearbyPending; // only touched on nearbyExecutor
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong resyncs = new AtomicLong();
    private final MqttAsyncClient client; // null while no broker is configured
    private final Topics topics;
    private final int maxPacketBytes;
    private volatile boolean closed;

    /** A fleet on the broker its configuration names (tests). */
    MqttFleetService(FleetConfig config) throws MqttException {
        this(config, null);
    }

    @Activate
    public MqttFleetService(FleetConfig config, @Reference(cardinality = ReferenceCardinality.OPTIONAL,
            policyOption = ReferencePolicyOption.GREEDY) PlatformBrokerLogin embedded) throws MqttException {
        this.topics = new Topics(config.topic_prefix());
        this.maxPacketBytes = Math.max(16_384, config.max_packet_bytes());
        this.nearby = new NearbyIndex(config.nearby_range_m());
        BrokerLogin login = BrokerLogin.resolve(config.broker_uri(), config.username(), config.password(), embedded);
        if (login == null) {
            this.client = null; // reported by BrokerLogin; a configuration change or the embedded broker reactivates
            return;
        }
        this.client = new MqttAsyncClient(login.uri(), config.client_id(), new MemoryPersistence());
        client.setCallback(new Callback());
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        o.setAutomaticReconnect(true);
        o.setAutomaticReconnectDelay(1, 30);
        o.setKeepAliveInterval(30);
        o.setMaximumPacketSize((long) maxPacketBytes);
        if (!login.username().isEmpty()) {
            o.setUserName(login.username());
            o.setPassword(login.password().getBytes(StandardCharsets.UTF_8));
        }
        // The embedded broker may still be starting: keep trying in the background, never block activation.
        o.setConnectionTimeout(10);
        connectInBackground(o);
    }

    private void connectInBackground(MqttConnectionOptions o) {
        Thread t = new Thread(() -> {
            long delay = 500;
            while (!closed && !client.isConnected()) {
                try {
                    client.connect(o).waitForCompletion(15_000);
                } catch (MqttException e) {
                    if (closed) {
                        return;
                    }
                    LOG.debug("edgeshare.platform.fleet: broker not reachable yet: {}", e.getMessage());
                    try {
                        Thread.sleep(delay);
                    } catch (InterruptedException ie) {
                        return;
                    }
                    delay = Math.min(delay * 2, 10_000);
                }
            }
        }, "edgeshare-fleet-connect");
        t.setDaemon(true);
        t.start();
    }

    @Deactivate
    void deactivate() {
        closed = true;
        nearbyExecutor.shutdownNow();
        if (client == null) {
            return;
        }
        try {
            if (client.isConnected()) {
                client.disconnect(2000).waitForCompletion(3000);
            }
            client.close(true);
        } catch (MqttException e) {
            LOG.debug("edgeshare.platform.fleet: close: {}", e.getMessage());
        }
    }

    @Override
    public List<GatewayState> gateways() {
        return registry.list();
    }

    @Override
    public Optional<GatewayState> gateway(String deviceId) {
        return registry.get(deviceId);
    }

    @Override
    public List<NearbyIndex.Sharer> nearby(String deviceId) {
        return pushed.getOrDefault(deviceId, List.of());
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
        return client != null && client.isConnected();
    }

    void handle(String topic, byte[] payload) {
        if (payload.length > maxPacketBytes) {
            reject(topic, "message of " + payload.length + " bytes is larger than max.packet.bytes");
            return;
        }
        try {
            GatewayTopic t = topics.parse(topic);
            switch (t.kind()) {
                case PRESENCE -> {
                    Presence p = codec.decode(payload, Presence.class);
                    presence(t.deviceId(), sameDevice(t, p.deviceId(), p));
                }
                case STATUS -> {
                    StatusReport r = codec.decode(payload, StatusReport.class);
                    status(t.deviceId(), sameDevice(t, r.deviceId(), r));
                }
                case CATALOG -> {
                    CatalogMessage c = codec.decode(payload, CatalogMessage.class);
                    catalog(t.deviceId(), sameDevice(t, c.deviceId(), c));
                }
                default -> reject(topic, "not a topic the fleet reads");
            }
        } catch (ProtocolException e) {
            reject(topic, e.getMessage());
        }
    }

    /** A gateway speaks only for itself: the payload's device id must be the topic's. */
    private static <T> T sameDevice(GatewayTopic t, String claimed, T message) throws ProtocolException {
        if (!t.deviceId().equals(claimed)) {
            throw new ProtocolException("deviceId " + claimed + " differs from the topic's " + t.deviceId());
        }
        return message;
    }

    private void status(String deviceId, StatusReport report) {
        Map<String, Object> sources = new LinkedHashMap<>();
        for (Map.Entry<String, SourceReport> e : report.sources().entrySet()) {
            Map<String, Object> s = new LinkedHashMap<>();
            if (e.getValue().at() != null) {
                s.put("at", e.getValue().at().toString());
            }
            s.put("metrics", e.getValue().metrics());
            s.put("labels", e.getValue().labels() == null ? Map.of() : e.getValue().labels());
            sources.put(e.getKey(), s);
        }
        registry.report(deviceId, sources);
    }

    private void catalog(String deviceId, CatalogMessage c) {
        List<String> ids = new ArrayList<>();
        for (CatalogItem i : c.full() ? c.items() : c.upserted()) {
            ids.add(i.id());
        }
        List<String> removed = c.full() ? List.of() : c.removed();
        long baseRev = c.full() ? -1 : c.baseRev();
        nearbyExecutor.execute(() -> {
            if (nearby.catalog(deviceId, c.full(), c.rev(), baseRev, ids, removed)) {
                if (c.full()) {
                    rebirthAsked.remove(deviceId);
                }
                scheduleNearby();
            } else {
                askForFullCatalog(deviceId, baseRev);
            }
        });
    }

    /** On nearbyExecutor: a delta we cannot apply; ask for a full list, at most once a minute per gateway. */
    private void askForFullCatalog(String deviceId, long baseRev) {
        resyncs.incrementAndGet();
        long now = System.currentTimeMillis();
        Long last = rebirthAsked.get(deviceId);
        if (last != null && now - last < REBIRTH_EVERY_MS) {
            LOG.debug("edgeshare.platform.fleet: catalog delta of {} from rev {} dropped, full list already asked for",
                    deviceId, baseRev);
            return;
        }
        rebirthAsked.put(deviceId, now);
        LOG.info("edgeshare.platform.fleet: catalog delta of {} starts from rev {}, which is not the one held; "
                + "asking for a full list", deviceId, baseRev);
        MqttProperties props = new MqttProperties();
        props.setResponseTopic(topics.response(deviceId, RESPONSE_NAME));
        props.setCorrelationData(UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
        props.setContentType("application/json");
        try {
            client.publish(topics.command(deviceId, "rebirth"),
                    new MqttMessage("{}".getBytes(StandardCharsets.UTF_8), 1, false, props));
        } catch (MqttException e) {
            rebirthAsked.remove(deviceId);
            LOG.warn("edgeshare.platform.fleet: rebirth request to {} not sent: {}", deviceId, e.getMessage());
        }
    }

    /** Debounced: a burst of births after a broker restart makes one round of lists. */
    private void scheduleNearby() {
        if (nearbyPending == null || nearbyPending.isDone()) {
            nearbyPending = nearbyExecutor.schedule(this::publishNearby, 300, TimeUnit.MILLISECONDS);
        }
    }

    private void publishNearby() {
        for (Map.Entry<String, List<NearbyIndex.Sharer>> e : nearby.changes().entrySet()) {
            pushed.put(e.getKey(), e.getValue());
            List<NearbySharerEntry> sharers = new ArrayList<>();
            for (NearbyIndex.Sharer s : e.getValue()) {
                sharers.add(new NearbySharerEntry(s.deviceId(), "", s.baseUrl(), s.distanceM(), s.contentIds()));
            }
            try {
                byte[] body = codec.encode(new NearbyList(Instant.now(), sharers));
                client.publish(topics.topic(e.getKey(), TopicKind.NEARBY), new MqttMessage(body, 1, true, null));
            } catch (MqttException | IllegalArgumentException ex) {
                LOG.warn("edgeshare.platform.fleet: nearby list for {} not sent: {}", e.getKey(), ex.getMessage());
                pushed.remove(e.getKey());
            }
        }
    }

    private void presence(String deviceId, Presence p) {
        if (!p.online()) {
            if (registry.death(deviceId, p.seq())) {
                LOG.info("edgeshare.platform.fleet: {} offline (birth {})", deviceId, p.seq());
                nearbyExecutor.execute(() -> {
                    nearby.presence(deviceId, false, 0, 0, "");
                    scheduleNearby();
                });
            }
            return;
        }
        registry.birth(p);
        LOG.info("edgeshare.platform.fleet: {} online (birth {})", deviceId, p.seq());
        double lat = p.location() == null ? 0 : p.location().lat();
        double lon = p.location() == null ? 0 : p.location().lon();
        String portal = p.portalUrl() == null ? "" : p.portalUrl();
        registry.get(deviceId).filter(GatewayState::online).ifPresent(g -> nearbyExecutor.execute(() -> {
            nearby.presence(deviceId, true, lat, lon, portal);
            scheduleNearby();
        }));
    }

    private void reject(String where, String why) {
        rejected.incrementAndGet();
        LOG.warn("edgeshare.platform.fleet: ignored message on {}: {}", where, why);
    }

    private final class Callback implements MqttCallback {
        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
            try {
                client.subscribe(new MqttSubscription[] {
                        new MqttSubscription(topics.everyGateway(TopicKind.PRESENCE), 1),
                        new MqttSubscription(topics.everyGateway(TopicKind.STATUS), 1),
                        new MqttSubscription(topics.everyGateway(TopicKind.CATALOG), 1) });
                LOG.info("edgeshare.platform.fleet: connected to {}, watching {}/gw/+", serverURI, topics.prefix());
            } catch (MqttException e) {
                LOG.error("edgeshare.platform.fleet: subscribe failed: {}", e.getMessage());
            }
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            handle(topic, message.getPayload());
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            LOG.warn("edgeshare.platform.fleet: lost the broker: {}", response.getReasonString());
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
            LOG.warn("edgeshare.platform.fleet: MQTT error: {}", exception.getMessage());
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
        }
    }
}
