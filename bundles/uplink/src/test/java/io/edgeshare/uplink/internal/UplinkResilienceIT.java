package io.edgeshare.uplink.internal;

import static io.edgeshare.testsupport.EdgeShareOptions.assertAllBundlesActive;
import static io.edgeshare.testsupport.EdgeShareOptions.bundleUnderTest;
import static io.edgeshare.testsupport.EdgeShareOptions.core;
import static io.edgeshare.testsupport.EdgeShareOptions.gson;
import static io.edgeshare.testsupport.EdgeShareOptions.ourBundle;
import static io.edgeshare.testsupport.EdgeShareOptions.paho;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.nio.charset.StandardCharsets;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;

import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import io.edgeshare.api.ap.NearbySharers;
import io.edgeshare.api.telemetry.TelemetrySource;
import io.edgeshare.testsupport.MosquittoBroker;
import io.edgeshare.testsupport.MqttCallbackAdapter;

/**
 * The uplink against a real Mosquitto that dies and comes back: no report is lost; commands answered by
 * MQTT 5 request/response; nearby lists pushed by the platform offered as a service; bad input counted.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class UplinkResilienceIT {

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configAdmin;

    @Configuration
    public Option[] config() {
        return options(core(), gson(), paho(), ourBundle("api"), ourBundle("protocol"), bundleUnderTest());
    }

    private void configure(String deviceId, String brokerUri) throws Exception {
        configure(deviceId, brokerUri, new Hashtable<>());
    }

    private void configure(String deviceId, String brokerUri, Dictionary<String, Object> link) throws Exception {
        Dictionary<String, Object> identity = new Hashtable<>();
        identity.put("device.id", deviceId);
        configAdmin.getConfiguration("edgeshare.identity", "?").update(identity);
        link.put("broker.uri", brokerUri);
        link.put("report.interval.s", 1);
        // the gateway comes back no sooner than 1.5 s, so the test's watcher is subscribed before it
        link.put("reconnect.min.ms", 1500);
        link.put("reconnect.max.ms", 3000);
        configAdmin.getConfiguration("edgeshare.uplink", "?").update(link);
    }

    @Test
    public void brokerOutageLosesNoReport() throws Exception {
        assertAllBundlesActive(context);
        try (MosquittoBroker broker = MosquittoBroker.start()) {
            BlockingQueue<JsonObject> reports = new LinkedBlockingQueue<>();
            MqttClient watcher = watch(broker, "edgeshare/v1/gw/gw-outage/status", reports);
            configure("gw-outage", broker.uri());
            long first = poll(reports, 15).get("msgId").getAsLong();
            poll(reports, 5);

            broker.kill();
            // reports go on while nobody listens: wait until the outbox holds several of them
            TelemetrySource uplink = uplinkTelemetry();
            waitUntil(() -> uplink.snapshot().metrics().get("outbox.messages").longValue() >= 4, 30);
            broker.restart();
            watcher.close(true);
            watcher = watch(broker, "edgeshare/v1/gw/gw-outage/status", reports);

            TreeSet<Long> ids = new TreeSet<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline && (ids.isEmpty() || ids.last() < first + 12)) {
                JsonObject r = reports.poll(200, TimeUnit.MILLISECONDS);
                if (r != null) {
                    ids.add(r.get("msgId").getAsLong());
                }
            }
            assertFalse("no reports after the outage", ids.isEmpty());
            long lo = ids.first();
            long hi = ids.last();
            assertTrue("reports resumed: " + ids, hi >= first + 12);
            // every id between the first after the outage and the last one seen arrived: nothing lost
            for (long id = lo; id <= hi; id++) {
                assertTrue("report " + id + " lost; got " + ids, ids.contains(id));
            }
            assertTrue("the reports made during the outage were delivered after it: " + ids, lo <= first + 4);
            watcher.disconnect();
            watcher.close();
        }
    }

    @Test
    public void commandsNearbyListsAndBadInput() throws Exception {
        assertAllBundlesActive(context);
        try (MosquittoBroker broker = MosquittoBroker.start()) {
            BlockingQueue<JsonObject> answers = new LinkedBlockingQueue<>();
            MqttClient platform = watch(broker, "edgeshare/v1/gw/gw-cmd/res/it", answers);
            BlockingQueue<JsonObject> births = new LinkedBlockingQueue<>();
            MqttClient presence = watch(broker, "edgeshare/v1/gw/gw-cmd/presence", births);
            configure("gw-cmd", broker.uri());
            assertEquals("online", poll(births, 15).get("state").getAsString());

            MqttMessage request = new MqttMessage("{}".getBytes(StandardCharsets.UTF_8), 1, false, null);
            MqttProperties props = new MqttProperties();
            props.setResponseTopic("edgeshare/v1/gw/gw-cmd/res/it");
            props.setCorrelationData("req-1".getBytes(StandardCharsets.UTF_8));
            request.setProperties(props);
            platform.publish("edgeshare/v1/gw/gw-cmd/cmd/status", request);
            JsonObject answer = poll(answers, 10);
            assertTrue(answer.toString(), answer.get("ok").getAsBoolean());
            assertEquals("gw-cmd", answer.getAsJsonObject("result").get("deviceId").getAsString());

            platform.publish("edgeshare/v1/gw/gw-cmd/cmd/reboot-everything", request);
            JsonObject unknown = poll(answers, 10);
            assertFalse(unknown.get("ok").getAsBoolean());
            assertTrue(unknown.get("error").getAsString().contains("unknown command"));

            platform.publish("edgeshare/v1/gw/gw-cmd/cmd/rebirth", request);
            assertTrue(poll(answers, 10).get("ok").getAsBoolean());
            assertEquals("online", poll(births, 10).get("state").getAsString());

            String list = "{\"sharers\":[{\"deviceId\":\"gw-far\",\"baseUrl\":\"http://127.0.0.1:9/\",\"distanceM\":90,"
                    + "\"contentIds\":[\"a\"]},{\"deviceId\":\"gw-near\",\"ssid\":\"EdgeShare-near\","
                    + "\"baseUrl\":\"http://127.0.0.1:8/\",\"distanceM\":12,\"contentIds\":[\"a\",\"b\"]}]}";
            platform.publish("edgeshare/v1/gw/gw-cmd/nearby",
                    new MqttMessage(list.getBytes(StandardCharsets.UTF_8), 1, true, null));
            NearbySharers nearby = context.getService(context.getServiceReference(NearbySharers.class));
            waitUntil(() -> nearby.sharers().size() == 2, 10);
            assertEquals(List.of("gw-near", "gw-far"), nearby.sharers().stream().map(s -> s.deviceId()).toList());

            platform.publish("edgeshare/v1/gw/gw-cmd/nearby",
                    new MqttMessage("not json".getBytes(StandardCharsets.UTF_8), 1, true, null));
            TelemetrySource uplink = uplinkTelemetry();
            waitUntil(() -> uplink.snapshot().metrics().get("messages.rejected").longValue() >= 1, 10);
            assertEquals("a bad list leaves the last good one", 2, nearby.sharers().size());
            platform.disconnect();
            platform.close();
            presence.disconnect();
            presence.close();
        }
    }

    @Test
    public void commandsAnsweredOnlyOnTheGatewaysOwnResponseTopics() throws Exception {
        assertAllBundlesActive(context);
        try (MosquittoBroker broker = MosquittoBroker.start()) {
            BlockingQueue<JsonObject> misdirected = new LinkedBlockingQueue<>();
            MqttClient elsewhere = watch(broker, "elsewhere/#", misdirected);
            MqttClient otherGateway = watch(broker, "edgeshare/v1/gw/gw-other/res/#", misdirected);
            BlockingQueue<JsonObject> answers = new LinkedBlockingQueue<>();
            MqttClient stranger = watch(broker, "edgeshare/v1/gw/gw-k2/res/#", answers);
            BlockingQueue<JsonObject> births = new LinkedBlockingQueue<>();
            MqttClient presence = watch(broker, "edgeshare/v1/gw/gw-k2/presence", births);
            configure("gw-k2", broker.uri());
            assertEquals("online", poll(births, 15).get("state").getAsString());

            stranger.publish("edgeshare/v1/gw/gw-k2/cmd/status", request("elsewhere/answers", "bad-1"));
            stranger.publish("edgeshare/v1/gw/gw-k2/cmd/rebirth", request("edgeshare/v1/gw/gw-other/res/x", "bad-2"));
            stranger.publish("edgeshare/v1/gw/gw-k2/cmd/status", request(null, "bad-3"));
            stranger.publish("edgeshare/v1/gw/gw-k2/cmd/status", request("edgeshare/v1/gw/gw-k2/res/ops/1", "good"));
            // commands run in order on one thread: once "good" is answered, the others were decided
            JsonObject answer = poll(answers, 15);
            assertTrue(answer.toString(), answer.get("ok").getAsBoolean());
            assertEquals("nothing answered elsewhere", null, misdirected.poll(1, TimeUnit.SECONDS));
            TelemetrySource uplink = uplinkTelemetry();
            assertEquals(3L, uplink.snapshot().metrics().get("commands.refused").longValue());
            assertEquals("a refused rebirth did not re-publish the birth", 0, births.size());
            elsewhere.disconnect();
            elsewhere.close();
            otherGateway.disconnect();
            otherGateway.close();
            stranger.disconnect();
            stranger.close();
            presence.disconnect();
            presence.close();
        }
    }

    @Test
    public void aMessageLargerThanMaxPacketBytesNeverReachesTheGateway() throws Exception {
        assertAllBundlesActive(context);
        try (MosquittoBroker broker = MosquittoBroker.start()) {
            BlockingQueue<JsonObject> answers = new LinkedBlockingQueue<>();
            MqttClient platform = watch(broker, "edgeshare/v1/gw/gw-big/res/it", answers);
            BlockingQueue<JsonObject> births = new LinkedBlockingQueue<>();
            MqttClient presence = watch(broker, "edgeshare/v1/gw/gw-big/presence", births);
            Dictionary<String, Object> link = new Hashtable<>();
            link.put("max.packet.bytes", 16_384);
            configure("gw-big", broker.uri(), link);
            assertEquals("online", poll(births, 15).get("state").getAsString());

            StringBuilder ids = new StringBuilder();
            for (int i = 0; i < 2000; i++) {
                ids.append(i == 0 ? "" : ",").append("\"item-").append(i).append('"');
            }
            String big = "{\"sharers\":[{\"deviceId\":\"gw-near\",\"baseUrl\":\"http://127.0.0.1:8/\","
                    + "\"contentIds\":[" + ids + "]}]}";
            assertTrue(big.length() > 16_384);
            platform.publish("edgeshare/v1/gw/gw-big/nearby",
                    new MqttMessage(big.getBytes(StandardCharsets.UTF_8), 1, false, null));
            platform.publish("edgeshare/v1/gw/gw-big/cmd/status", request("edgeshare/v1/gw/gw-big/res/it", "after"));
            assertTrue(poll(answers, 10).get("ok").getAsBoolean());
            NearbySharers nearby = context.getService(context.getServiceReference(NearbySharers.class));
            assertEquals("the oversized list was not applied", 0, nearby.sharers().size());
            platform.disconnect();
            platform.close();
            presence.disconnect();
            presence.close();
        }
    }

    private static MqttMessage request(String responseTopic, String correlation) {
        MqttMessage request = new MqttMessage("{}".getBytes(StandardCharsets.UTF_8), 1, false, null);
        MqttProperties props = new MqttProperties();
        if (responseTopic != null) {
            props.setResponseTopic(responseTopic);
        }
        props.setCorrelationData(correlation.getBytes(StandardCharsets.UTF_8));
        request.setProperties(props);
        return request;
    }

    private TelemetrySource uplinkTelemetry() throws Exception {
        for (ServiceReference<TelemetrySource> ref : context.getServiceReferences(TelemetrySource.class, null)) {
            TelemetrySource s = context.getService(ref);
            if (s.name().equals("uplink")) {
                return s;
            }
        }
        throw new AssertionError("no uplink telemetry source");
    }

    private static MqttClient watch(MosquittoBroker broker, String filter, BlockingQueue<JsonObject> into)
            throws MqttException {
        MqttClient c = new MqttClient(broker.uri(), "it-" + Math.abs(filter.hashCode()) + "-" + System.nanoTime(),
                new MemoryPersistence());
        c.setCallback(new MqttCallbackAdapter() {
            @Override
            public void messageArrived(String topic, MqttMessage m) {
                into.add(JsonParser.parseString(new String(m.getPayload(), StandardCharsets.UTF_8)).getAsJsonObject());
            }
        });
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setConnectionTimeout(5);
        c.connect(o);
        c.subscribe(filter, 1);
        return c;
    }

    private static JsonObject poll(BlockingQueue<JsonObject> q, int seconds) throws InterruptedException {
        JsonObject o = q.poll(seconds, TimeUnit.SECONDS);
        if (o == null) {
            throw new AssertionError("nothing within " + seconds + " s");
        }
        return o;
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition, int seconds)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + seconds + " s");
            }
            Thread.sleep(50);
        }
    }
}
