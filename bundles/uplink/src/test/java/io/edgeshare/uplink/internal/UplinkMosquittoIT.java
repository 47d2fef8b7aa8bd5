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
import java.time.Instant;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;

import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;

import io.edgeshare.testsupport.MqttCallbackAdapter;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import io.edgeshare.api.telemetry.TelemetrySnapshot;
import io.edgeshare.api.telemetry.TelemetrySource;
import io.edgeshare.testsupport.MosquittoBroker;

/**
 * The uplink bundle in Felix against a real Mosquitto: birth, periodic reports from a telemetry source, a
 * report interval changed in place (same birth, no reconnect), and a goodbye that matches the birth.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class UplinkMosquittoIT {

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configAdmin;

    @Configuration
    public Option[] config() {
        return options(core(), gson(), paho(), ourBundle("api"), ourBundle("protocol"), bundleUnderTest());
    }

    @Test
    public void birthReportsReconfigureAndGoodbye() throws Exception {
        assertAllBundlesActive(context);
        try (MosquittoBroker broker = MosquittoBroker.start()) {
            BlockingQueue<String[]> received = new LinkedBlockingQueue<>();
            MqttClient watcher = new MqttClient(broker.uri(), "it-watcher", new MemoryPersistence());
            // (Paho 1.2.5's subscribe-with-listener overload recurses forever; use a callback.)
            watcher.setCallback(new MqttCallbackAdapter() {
                @Override
                public void messageArrived(String topic, MqttMessage m) {
                    received.add(new String[] { topic, new String(m.getPayload(), StandardCharsets.UTF_8) });
                }
            });
            watcher.connect();
            watcher.subscribe("edgeshare/v1/gw/gw-it/#", 1);

            context.registerService(TelemetrySource.class, new TelemetrySource() {
                @Override
                public String name() {
                    return "probe";
                }

                @Override
                public TelemetrySnapshot snapshot() {
                    return new TelemetrySnapshot("probe", Instant.now(), Map.of("bytes.saved", 7L), Map.of());
                }
            }, null);

            Dictionary<String, Object> identity = new Hashtable<>();
            identity.put("device.id", "gw-it");
            identity.put("profile", "mall-ap");
            identity.put("location.latitude", 48.86);
            identity.put("location.longitude", 2.33);
            configAdmin.getConfiguration("edgeshare.identity", "?").update(identity);
            Dictionary<String, Object> link = new Hashtable<>();
            link.put("broker.uri", broker.uri());
            link.put("report.interval.s", 1);
            configAdmin.getConfiguration("edgeshare.uplink", "?").update(link);

            JsonObject birth = next(received, "presence", 15);
            assertEquals("online", birth.get("state").getAsString());
            assertEquals("mall-ap", birth.get("profile").getAsString());
            assertEquals(48.86, birth.getAsJsonObject("location").get("lat").getAsDouble(), 1e-9);
            long seq = birth.get("seq").getAsLong();
            assertTrue(seq >= 1);

            JsonObject report = next(received, "status", 10);
            assertEquals(seq, report.get("seq").getAsLong());
            assertEquals(7, report.getAsJsonObject("sources").getAsJsonObject("probe").getAsJsonObject("metrics")
                    .get("bytes.saved").getAsInt());

            // A new report interval applies in place: no new birth, same sequence in the reports.
            link.put("report.interval.s", 2);
            configAdmin.getConfiguration("edgeshare.uplink", "?").update(link);
            JsonObject later = null;
            long previousAt = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (later == null && System.nanoTime() < deadline) {
                String[] m = received.poll(100, TimeUnit.MILLISECONDS);
                if (m == null) {
                    continue;
                }
                assertFalse("no new birth for a new interval: " + m[1], m[0].endsWith("/presence"));
                long at = System.nanoTime();
                if (m[0].endsWith("/status")) {
                    if (previousAt != 0 && at - previousAt >= TimeUnit.MILLISECONDS.toNanos(1_500)) {
                        later = JsonParser.parseString(m[1]).getAsJsonObject(); // the 2 s interval is in place
                    }
                    previousAt = at;
                }
            }
            assertNotNull("reports every 2 s within 20 s of the change", later);
            assertEquals(seq, later.get("seq").getAsLong());

            // Stopping the bundle says goodbye with the birth's sequence number.
            Bundle uplink = null;
            for (Bundle b : context.getBundles()) {
                if ("io.edgeshare.uplink".equals(b.getSymbolicName())) {
                    uplink = b;
                }
            }
            assertNotNull(uplink);
            uplink.stop();
            JsonObject death = next(received, "presence", 10);
            assertEquals("offline", death.get("state").getAsString());
            assertEquals(seq, death.get("seq").getAsLong());
            watcher.disconnect();
            watcher.close();
        }
    }

    private static JsonObject next(BlockingQueue<String[]> q, String kind, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            String[] m = q.poll(100, TimeUnit.MILLISECONDS);
            if (m != null && m[0].endsWith("/" + kind)) {
                return JsonParser.parseString(m[1]).getAsJsonObject();
            }
        }
        throw new AssertionError("no " + kind + " message within " + seconds + " s");
    }
}
