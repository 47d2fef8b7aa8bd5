package io.edgeshare.itests;

import static io.edgeshare.testsupport.EdgeShareOptions.assertAllBundlesActive;
import static io.edgeshare.testsupport.EdgeShareOptions.core;
import static io.edgeshare.testsupport.EdgeShareOptions.freePort;
import static io.edgeshare.testsupport.EdgeShareOptions.gson;
import static io.edgeshare.testsupport.EdgeShareOptions.http;
import static io.edgeshare.testsupport.EdgeShareOptions.httpPort;
import static io.edgeshare.testsupport.EdgeShareOptions.ourBundle;
import static io.edgeshare.testsupport.EdgeShareOptions.paho;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Dictionary;
import java.util.Hashtable;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.inject.Inject;

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

/**
 * A gateway's uplink connects to the platform's embedded broker and the platform's fleet registry sees it come
 * online, with its profile and location, and go offline when the uplink stops.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class GatewayToPlatformIT {
    private static final String PLATFORM_PASSWORD = "itest-platform-password";
    private static final String DEVICE_PASSWORD = "itest-device-password";


    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configAdmin;

    private static final String OPERATOR_TOKEN = "itest-operator-token";

    @Configuration
    public Option[] config() {
        return options(core(), http(freePort()), gson(), paho(),
                systemProperty("edgeshare.broker.lib").value(System.getProperty("edgeshare.broker.lib")),
                systemProperty("it.mqtt.port").value(Integer.toString(freePort())),
                ourBundle("api"), ourBundle("protocol"), ourBundle("platform-broker"), ourBundle("platform-session"), ourBundle("platform-fleet"),
                ourBundle("platform-store"), // the fleet keeps its gateways in the store (H2 here)
                mavenBundle("org.osgi", "org.osgi.service.jdbc", System.getProperty("edgeshare.osgi.jdbc.version")),
                mavenBundle("com.h2database", "h2", System.getProperty("edgeshare.h2.version")),
                mavenBundle("org.postgresql", "postgresql", System.getProperty("edgeshare.postgresql.version")),
                ourBundle("uplink"), ourBundle("portal"));
    }

    @Test
    public void gatewayAppearsInTheFleetAndLeavesIt() throws Exception {
        assertAllBundlesActive(context);
        int mqtt = Integer.parseInt(context.getProperty("it.mqtt.port"));
        String broker = "tcp://127.0.0.1:" + mqtt;

        Dictionary<String, Object> brokerCfg = new Hashtable<>();
        brokerCfg.put("port", mqtt);
        brokerCfg.put("platform.password", PLATFORM_PASSWORD);
        brokerCfg.put("devices.dir", enrolledDevice("gw-itest", DEVICE_PASSWORD).toString());
        configAdmin.getConfiguration("edgeshare.platform.broker", "?").update(brokerCfg);
        Dictionary<String, Object> apiCfg = new Hashtable<>();
        apiCfg.put("token", OPERATOR_TOKEN);
        configAdmin.getConfiguration("edgeshare.platform.api", "?").update(apiCfg);
        Dictionary<String, Object> fleetCfg = new Hashtable<>();
        fleetCfg.put("broker.uri", broker);
        fleetCfg.put("username", "edgeshare-platform");
        fleetCfg.put("password", PLATFORM_PASSWORD);
        configAdmin.getConfiguration("edgeshare.platform.session", "?").update(fleetCfg); // the node's session
        Dictionary<String, Object> fleetOwn = new Hashtable<>();
        fleetOwn.put("topic.prefix", "edgeshare/v1");
        configAdmin.getConfiguration("edgeshare.platform.fleet", "?").update(fleetOwn);

        Dictionary<String, Object> identity = new Hashtable<>();
        identity.put("device.id", "gw-itest");
        identity.put("profile", "set-top-box");
        identity.put("location.latitude", 48.8611);
        identity.put("location.longitude", 2.3359);
        configAdmin.getConfiguration("edgeshare.identity", "?").update(identity);
        Dictionary<String, Object> link = new Hashtable<>();
        link.put("broker.uri", broker);
        link.put("username", "gw-itest");
        link.put("password", DEVICE_PASSWORD);
        link.put("report.interval.s", 1);
        link.put("reconnect.min.ms", 200);
        link.put("reconnect.max.ms", 1000);
        configAdmin.getConfiguration("edgeshare.uplink", "?").update(link);

        String fleet = waitFor("/api/gateways", "\"online\":true", 60);
        assertTrue(fleet, fleet.contains("\"deviceId\":\"gw-itest\""));
        assertTrue(fleet, fleet.contains("\"profile\":\"set-top-box\""));
        assertTrue(fleet, fleet.contains("\"latitude\":48.8611"));

        for (Bundle b : context.getBundles()) {
            if ("io.edgeshare.uplink".equals(b.getSymbolicName())) {
                b.stop();
            }
        }
        String after = waitFor("/api/gateways/gw-itest", "\"online\":false", 20);
        assertTrue(after, after.contains("gw-itest"));
    }

    /**
     * A device registry folder holding one device as enrolment leaves it (salted PBKDF2-HMAC-SHA256 hash, the
     * platform-broker's file format): POST /api/devices needs the operator's guard, which is another bundle.
     */
    private static Path enrolledDevice(String deviceId, String password) throws Exception {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        byte[] hash = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                .generateSecret(new PBEKeySpec(password.toCharArray(), salt, 10_000, 256)).getEncoded();
        Path dir = Files.createTempDirectory("itest-devices");
        Files.writeString(dir.resolve("devices.txt"), deviceId + " " + Base64.getEncoder().encodeToString(salt) + " "
                + Base64.getEncoder().encodeToString(hash) + " 10000 0\n");
        return dir;
    }

    private String waitFor(String path, String needle, int seconds) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        URI uri = URI.create("http://127.0.0.1:" + httpPort(context) + path);
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2))
                        .header("Authorization", "Bearer " + OPERATOR_TOKEN).build(), HttpResponse.BodyHandlers.ofString());
                last = r.statusCode() + " " + r.body();
                if (r.statusCode() == 200 && r.body().contains(needle)) {
                    return r.body();
                }
            } catch (java.io.IOException notYet) {
                last = notYet.toString();
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no '" + needle + "' at " + path + " within " + seconds + " s; last: " + last);
    }
}
