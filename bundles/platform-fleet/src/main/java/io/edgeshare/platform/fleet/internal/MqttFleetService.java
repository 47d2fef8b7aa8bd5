package io.edgeshare.platform.fleet.internal;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

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
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.reflect.TypeToken;
import com.google.gson.Gson;

/**
 * Keeps the fleet registry from what gateways publish: retained presence (births and wills) and periodic
 * status reports. A configuration change restarts the component (a new broker means a new session anyway).
 */
@Component(configurationPid = "edgeshare.platform.fleet", configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = FleetView.class, immediate = true)
@Designate(ocd = FleetConfig.class)
public final class MqttFleetService implements FleetView {
    private static final Logger LOG = LoggerFactory.getLogger(MqttFleetService.class);
    private static final Gson GSON = new Gson();

    private final FleetRegistry registry = new FleetRegistry(Clock.systemUTC());
    private final NearbyIndex nearby;
    private final Map<String, List<NearbyIndex.Sharer>> pushed = new ConcurrentHashMap<>();
    private final ScheduledExecutorService nearbyExecutor = Executors.newSingleThreadScheduledExecutor(
            r -> new Thread(r, "edgeshare-fleet-nearby"));
    private ScheduledFuture<?> nearbyPending; // only touched on nearbyExecutor
    private final AtomicLong rejected = new AtomicLong();
    private final MqttAsyncClient client;
    private final String prefix;
    private volatile boolean closed;

    @Activate
    public MqttFleetService(FleetConfig config) throws MqttException {
        this.prefix = config.topic_prefix();
        this.nearby = new NearbyIndex(config.nearby_range_m());
        this.client = new MqttAsyncClient(config.broker_uri(), config.client_id(), new MemoryPersistence());
        client.setCallback(new Callback());
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        o.setAutomaticReconnect(true);
        o.setAutomaticReconnectDelay(1, 30);
        o.setKeepAliveInterval(30);
        if (!config.username().isEmpty()) {
            o.setUserName(config.username());
            o.setPassword(config.password().getBytes(StandardCharsets.UTF_8));
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
    public boolean connected() {
        return client.isConnected();
    }

    void handle(String topic, byte[] payload) {
        // prefix/gw/{id}/presence | prefix/gw/{id}/status
        String rest = topic.startsWith(prefix + "/gw/") ? topic.substring(prefix.length() + 4) : "";
        int slash = rest.indexOf('/');
        if (slash <= 0) {
            reject(topic, "unexpected topic");
            return;
        }
        String deviceId = rest.substring(0, slash);
        String kind = rest.substring(slash + 1);
        JsonObject body;
        try {
            JsonElement e = JsonParser.parseString(new String(payload, StandardCharsets.UTF_8));
            if (!e.isJsonObject()) {
                reject(topic, "payload is not a JSON object");
                return;
            }
            body = e.getAsJsonObject();
        } catch (JsonParseException e) {
            reject(topic, "malformed JSON: " + e.getMessage());
            return;
        }
        try {
            switch (kind) {
                case "presence" -> presence(deviceId, body);
                case "status" -> registry.report(deviceId, GSON.fromJson(body.get("sources"),
                        new TypeToken<Map<String, Object>>() { }.getType()));
                case "catalog" -> catalog(deviceId, body);
                default -> reject(topic, "unknown message kind " + kind);
            }
        } catch (RuntimeException e) {
            reject(topic, e.getMessage());
        }
    }

    private void catalog(String deviceId, JsonObject b) {
        boolean full = b.has("full") && b.get("full").getAsBoolean();
        JsonElement items = b.get(full ? "items" : "upserted");
        if (items == null || !items.isJsonArray()) {
            reject("catalog of " + deviceId, "no " + (full ? "items" : "upserted") + " array");
            return;
        }
        List<String> ids = new ArrayList<>();
        items.getAsJsonArray().forEach(i -> ids.add(i.getAsJsonObject().get("id").getAsString()));
        List<String> removed = new ArrayList<>();
        if (b.has("removed") && b.get("removed").isJsonArray()) {
            b.getAsJsonArray("removed").forEach(r -> removed.add(r.getAsString()));
        }
        nearbyExecutor.execute(() -> {
            nearby.catalog(deviceId, full, ids, removed);
            scheduleNearby();
        });
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
            List<Map<String, Object>> sharers = new ArrayList<>();
            for (NearbyIndex.Sharer s : e.getValue()) {
                sharers.add(Map.of("deviceId", s.deviceId(), "ssid", "", "baseUrl", s.baseUrl(), "distanceM",
                        s.distanceM(), "contentIds", s.contentIds()));
            }
            Map<String, Object> body = Map.of("generatedAt", java.time.Instant.now().toString(), "sharers", sharers);
            try {
                client.publish(prefix + "/gw/" + e.getKey() + "/nearby",
                        new MqttMessage(GSON.toJson(body).getBytes(StandardCharsets.UTF_8), 1, true, null));
            } catch (MqttException ex) {
                LOG.warn("edgeshare.platform.fleet: nearby list for {} not sent: {}", e.getKey(), ex.getMessage());
                pushed.remove(e.getKey());
            }
        }
    }

    private void presence(String deviceId, JsonObject b) {
        String state = text(b, "state");
        long seq = b.has("seq") ? b.get("seq").getAsLong() : 0;
        if ("offline".equals(state)) {
            if (registry.death(deviceId, seq)) {
                LOG.info("edgeshare.platform.fleet: {} offline (birth {})", deviceId, seq);
                nearbyExecutor.execute(() -> {
                    nearby.presence(deviceId, false, 0, 0, "");
                    scheduleNearby();
                });
            }
            return;
        }
        if (!"online".equals(state)) {
            reject("presence of " + deviceId, "state must be online or offline, got " + state);
            return;
        }
        JsonObject loc = b.has("location") && b.get("location").isJsonObject() ? b.getAsJsonObject("location")
                : new JsonObject();
        List<String> caps = new ArrayList<>();
        if (b.has("capabilities") && b.get("capabilities").isJsonArray()) {
            JsonArray a = b.getAsJsonArray("capabilities");
            a.forEach(c -> caps.add(c.getAsString()));
        }
        registry.birth(new PresenceMessage(deviceId, state, seq, text(b, "model"), text(b, "profile"),
                text(b, "firmware"), loc.has("lat") ? loc.get("lat").getAsDouble() : 0,
                loc.has("lon") ? loc.get("lon").getAsDouble() : 0, text(b, "portalUrl"), List.copyOf(caps)));
        LOG.info("edgeshare.platform.fleet: {} online (birth {})", deviceId, seq);
        double lat = loc.has("lat") ? loc.get("lat").getAsDouble() : 0;
        double lon = loc.has("lon") ? loc.get("lon").getAsDouble() : 0;
        String portal = text(b, "portalUrl");
        registry.get(deviceId).filter(GatewayState::online).ifPresent(g -> nearbyExecutor.execute(() -> {
            nearby.presence(deviceId, true, lat, lon, portal);
            scheduleNearby();
        }));
    }

    private static String text(JsonObject b, String key) {
        JsonElement e = b.get(key);
        return e == null || e.isJsonNull() ? "" : e.getAsString();
    }

    private void reject(String where, String why) {
        rejected.incrementAndGet();
        LOG.warn("edgeshare.platform.fleet: ignored message on {}: {}", where, why);
    }

    private final class Callback implements MqttCallback {
        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
            try {
                client.subscribe(new MqttSubscription[] { new MqttSubscription(prefix + "/gw/+/presence", 1),
                        new MqttSubscription(prefix + "/gw/+/status", 1),
                        new MqttSubscription(prefix + "/gw/+/catalog", 1) });
                LOG.info("edgeshare.platform.fleet: connected to {}, watching {}/gw/+", serverURI, prefix);
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
