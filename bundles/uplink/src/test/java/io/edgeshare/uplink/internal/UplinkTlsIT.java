package io.edgeshare.uplink.internal;

import static io.edgeshare.testsupport.EdgeShareOptions.assertAllBundlesActive;
import static io.edgeshare.testsupport.EdgeShareOptions.bundleUnderTest;
import static io.edgeshare.testsupport.EdgeShareOptions.core;
import static io.edgeshare.testsupport.EdgeShareOptions.freePort;
import static io.edgeshare.testsupport.EdgeShareOptions.gson;
import static io.edgeshare.testsupport.EdgeShareOptions.ourBundle;
import static io.edgeshare.testsupport.EdgeShareOptions.paho;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;

import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;

import io.edgeshare.testsupport.MosquittoBroker;
import io.edgeshare.testsupport.MqttCallbackAdapter;

/**
 * The uplink over TLS with a client certificate, against Mosquitto requiring one; certificates made with
 * openssl for the test. Without its certificate the gateway does not get in.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class UplinkTlsIT {

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configAdmin;

    @Configuration
    public Option[] config() {
        return options(core(), gson(), paho(), ourBundle("api"), ourBundle("protocol"), bundleUnderTest());
    }

    @Test
    public void connectsWithClientCertificateOnly() throws Exception {
        assertAllBundlesActive(context);
        Path dir = Files.createTempDirectory("uplink-tls");
        openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
                "-subj", "/CN=EdgeShare test CA", "-keyout", "ca.key", "-out", "ca.pem");
        issue(dir, "server", "/CN=127.0.0.1", "subjectAltName=IP:127.0.0.1");
        issue(dir, "device", "/CN=gw-tls", "extendedKeyUsage=clientAuth");
        openssl(dir, "pkcs8", "-topk8", "-nocrypt", "-in", "device.key", "-out", "device.pk8");
        // Mosquitto started as root drops to its own user: let it read the test's files.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        for (String f : List.of("ca.pem", "server.pem", "server.key")) {
            Files.setPosixFilePermissions(dir.resolve(f), PosixFilePermissions.fromString("rw-r--r--"));
        }

        int tlsPort = freePort();
        try (MosquittoBroker broker = MosquittoBroker.startTls(tlsPort, dir.resolve("ca.pem"),
                dir.resolve("server.pem"), dir.resolve("server.key"))) {
            BlockingQueue<String> births = new LinkedBlockingQueue<>();
            MqttClient watcher = new MqttClient(broker.uri(), "it-tls-watch", new MemoryPersistence());
            watcher.setCallback(new MqttCallbackAdapter() {
                @Override
                public void messageArrived(String topic, MqttMessage m) {
                    births.add(new String(m.getPayload(), StandardCharsets.UTF_8));
                }
            });
            watcher.connect();
            watcher.subscribe("edgeshare/v1/gw/gw-tls/presence", 1);

            Dictionary<String, Object> identity = new Hashtable<>();
            identity.put("device.id", "gw-tls");
            configAdmin.getConfiguration("edgeshare.identity", "?").update(identity);
            Dictionary<String, Object> link = new Hashtable<>();
            link.put("broker.uri", "ssl://127.0.0.1:" + tlsPort);
            link.put("tls.ca.file", dir.resolve("ca.pem").toString());
            link.put("reconnect.min.ms", 300);
            link.put("reconnect.max.ms", 1000);
            configAdmin.getConfiguration("edgeshare.uplink", "?").update(link);
            assertNull("no certificate, no connection", births.poll(4, TimeUnit.SECONDS));

            link.put("tls.cert.file", dir.resolve("device.pem").toString());
            link.put("tls.key.file", dir.resolve("device.pk8").toString());
            configAdmin.getConfiguration("edgeshare.uplink", "?").update(link);
            String birth = births.poll(15, TimeUnit.SECONDS);
            assertEquals(true, birth != null && birth.contains("\"state\":\"online\""));
            watcher.disconnect();
            watcher.close();
        }
    }

    private static void issue(Path dir, String name, String subject, String extension) throws Exception {
        openssl(dir, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj", subject,
                "-keyout", name + ".key", "-out", name + ".csr");
        Files.writeString(dir.resolve(name + ".ext"), extension + "\n");
        openssl(dir, "x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-days", "2", "-extfile", name + ".ext", "-out", name + ".pem");
    }

    private static void openssl(Path dir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("openssl " + String.join(" ", args) + " failed: " + out);
        }
    }
}
