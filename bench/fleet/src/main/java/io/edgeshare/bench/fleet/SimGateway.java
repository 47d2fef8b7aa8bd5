package io.edgeshare.bench.fleet;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;

/**
 * One simulated gateway: an MQTT 5 session as the uplink opens it (client id {@code gw-{id}}, its own broker
 * login, clean start, session expiry and will delay 15 s, retained death as the will), subscribed to its nearby
 * list, publishing its birth, full catalog and status reports (docs/mqtt.md). Its state is changed by the driver
 * thread only; the MQTT callbacks only report to the {@link Oracle}.
 */
final class SimGateway {
    static final String PREFIX = "edgeshare/v1/gw/";
    static final int WILL_DELAY_S = 15;

    final String id;
    private final Mqtt5AsyncClient client;
    private final Oracle oracle;
    double lat;
    double lon;
    long seq;
    long rev;
    long msgId;
    long bytesSaved;
    final List<String> items = new ArrayList<>();
    volatile boolean connected;

    SimGateway(String id, String password, int port, double lat, double lon, Oracle oracle) {
        this.id = id;
        this.lat = lat;
        this.lon = lon;
        this.oracle = oracle;
        this.client = MqttClient.builder().useMqttVersion5().identifier("gw-" + id).serverHost("127.0.0.1")
                .serverPort(port).simpleAuth().username(id).password(password.getBytes(StandardCharsets.US_ASCII))
                .applySimpleAuth().buildAsync();
    }

    /** Connects (a new seq), subscribes to its list, then publishes its birth and full catalog. */
    CompletableFuture<Void> connect(long[] connAckNanos, boolean timed) {
        seq++;
        byte[] death = json(death());
        return client.connectWith().cleanStart(true).sessionExpiryInterval(WILL_DELAY_S).keepAlive(60)
                .willPublish().topic(PREFIX + id + "/presence").qos(MqttQos.AT_LEAST_ONCE).retain(true)
                .payload(death).delayInterval(WILL_DELAY_S).applyWillPublish()
                .send().thenCompose(ack -> {
                    connAckNanos[0] = System.nanoTime();
                    connected = true;
                    return client.subscribeWith().topicFilter(PREFIX + id + "/nearby").qos(MqttQos.AT_LEAST_ONCE)
                            .callback(p -> oracle.received(id, canonical(p.getPayloadAsBytes()), System.nanoTime(),
                                    deliveryNanos(p.getPayloadAsBytes())))
                            .send();
                }).thenCompose(subAck -> {
                    oracle.online(id, lat, lon, System.nanoTime(), timed);
                    oracle.catalog(id, items, System.nanoTime(), timed);
                    return birth();
                }).thenCompose(v -> catalog());
    }

    /** A birth at the current place (a move re-announces with the same seq). */
    CompletableFuture<Void> birth() {
        JsonObject b = new JsonObject();
        b.addProperty("state", "online");
        b.addProperty("deviceId", id);
        b.addProperty("seq", seq);
        b.addProperty("ts", Instant.now().toString());
        b.addProperty("model", "edgeshare-sim");
        b.addProperty("profile", "home-gateway");
        b.addProperty("firmware", "sim");
        JsonObject l = new JsonObject();
        l.addProperty("lat", lat);
        l.addProperty("lon", lon);
        b.add("location", l);
        b.addProperty("portalUrl", "http://127.0.0.1:9/" + id + "/");
        b.addProperty("name", "Sim " + id);
        return publish("presence", b, true);
    }

    CompletableFuture<Void> catalog() {
        rev++;
        JsonObject c = new JsonObject();
        c.addProperty("deviceId", id);
        c.addProperty("msgId", ++msgId);
        c.addProperty("full", true);
        c.addProperty("rev", rev);
        JsonArray a = new JsonArray();
        for (String item : items) {
            JsonObject i = new JsonObject();
            i.addProperty("id", item);
            i.addProperty("title", item + ".mp4");
            i.addProperty("mediaType", "video/mp4");
            i.addProperty("size", 1_000_000);
            i.addProperty("category", "video");
            a.add(i);
        }
        c.add("items", a);
        return publish("catalog", c, false);
    }

    CompletableFuture<Void> report() {
        bytesSaved += 1_000_000;
        JsonObject r = new JsonObject();
        r.addProperty("deviceId", id);
        r.addProperty("msgId", ++msgId);
        r.addProperty("seq", seq);
        r.addProperty("ts", Instant.now().toString());
        JsonObject l = new JsonObject();
        l.addProperty("lat", lat);
        l.addProperty("lon", lon);
        r.add("location", l);
        r.addProperty("bytesSaved", bytesSaved);
        JsonObject metrics = new JsonObject();
        metrics.addProperty("bytes.saved", bytesSaved);
        metrics.addProperty("listeners", 3);
        JsonObject cache = new JsonObject();
        cache.addProperty("at", Instant.now().toString());
        cache.add("metrics", metrics);
        cache.add("labels", new JsonObject());
        JsonObject sources = new JsonObject();
        sources.add("cache", cache);
        r.add("sources", sources);
        return publish("status", r, false);
    }

    /** A clean stop: the goodbye death, then a normal disconnect (no will). */
    CompletableFuture<Void> goodbye() {
        connected = false;
        return publish("presence", death(), true).thenCompose(v -> client.disconnect());
    }

    /** An outage: the connection drops and the broker publishes the will after the will delay. */
    CompletableFuture<Void> drop() {
        connected = false;
        return client.disconnectWith().reasonCode(Mqtt5DisconnectReasonCode.DISCONNECT_WITH_WILL_MESSAGE).send();
    }

    private JsonObject death() {
        JsonObject d = new JsonObject();
        d.addProperty("state", "offline");
        d.addProperty("deviceId", id);
        d.addProperty("seq", seq);
        d.addProperty("ts", Instant.now().toString());
        return d;
    }

    private CompletableFuture<Void> publish(String kind, JsonObject body, boolean retained) {
        return client.publishWith().topic(PREFIX + id + "/" + kind).qos(MqttQos.AT_LEAST_ONCE).retain(retained)
                .contentType("application/json").payload(json(body)).send()
                .thenAccept(SimGateway::checkAcknowledged);
    }

    private static void checkAcknowledged(Mqtt5PublishResult r) {
        if (r.getError().isPresent()) {
            throw new IllegalStateException("publish refused: " + r.getError().get());
        }
    }

    private static byte[] json(JsonObject o) {
        return o.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The received list in the oracle's canonical form. */
    /** From the list's generatedAt (the platform's clock: this machine's) to now: broker and simulator time. */
    static long deliveryNanos(byte[] payload) {
        JsonObject o = JsonParser.parseString(new String(payload, StandardCharsets.UTF_8)).getAsJsonObject();
        if (!o.has("generatedAt")) {
            return -1;
        }
        java.time.Instant at = java.time.Instant.parse(o.get("generatedAt").getAsString());
        return java.time.Duration.between(at, java.time.Instant.now()).toNanos();
    }

    static String canonical(byte[] payload) {
        JsonObject o = JsonParser.parseString(new String(payload, StandardCharsets.UTF_8)).getAsJsonObject();
        List<String> ids = new ArrayList<>();
        List<List<String>> contents = new ArrayList<>();
        for (JsonElement e : o.getAsJsonArray("sharers")) {
            JsonObject s = e.getAsJsonObject();
            ids.add(s.get("deviceId").getAsString());
            List<String> c = new ArrayList<>();
            JsonArray a = s.getAsJsonArray("contentIds");
            if (a != null) {
                a.forEach(x -> c.add(x.getAsString()));
            }
            contents.add(c);
        }
        return Oracle.canonical(ids, contents);
    }
}
