package io.edgeshare.provisioning;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker goes away, the gateway keeps producing reports into its disk outbox, and then the gateway is
 * killed with SIGKILL. When both are back, every report arrives: nothing acknowledged to the outbox is lost.
 * Broker: Mosquitto; watcher: mosquitto_sub; gateway: the real distribution.
 */
class OutboxCrashIT {
    private static final Pattern MSG_ID = Pattern.compile("\"msgId\":(\\d+)");

    @Test
    void reportsSurviveBrokerOutageAndKill9(@TempDir Path tmp) throws Exception {
        int mqtt = Runtime.freePort();
        int http = Runtime.freePort();
        Path conf = tmp.resolve("mosquitto.conf");
        Files.writeString(conf, "listener " + mqtt + " 127.0.0.1\nallow_anonymous true\npersistence false\n");
        Path etc = Files.createDirectories(tmp.resolve("gw/etc"));
        Files.writeString(etc.resolve("edgeshare.uplink.cfg"), "broker.uri = ${edgeshare.platform.uri}\n"
                + "report.interval.s = 1\nreconnect.min.ms = 1500\nreconnect.max.ms = 3000\n");
        Path seen = tmp.resolve("seen.txt");

        Process broker = mosquitto(conf, mqtt);
        Process sub = watch(mqtt, seen);
        Runtime gateway = Runtime.start(tmp.resolve("gw"), "gateway", "--http-port", String.valueOf(http),
                "--platform", "tcp://127.0.0.1:" + mqtt, "--id", "gw-crash");
        try {
            waitFor(() -> ids(seen).size() >= 2, 60, "first reports");
            long lastBefore = ids(seen).last();

            broker.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            sub.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            java.time.Instant outageStart = java.time.Instant.now();
            // reports go on while the broker is away: wait until the outbox holds several
            waitFor(() -> Ops.metric(http, "edgeshare_uplink_outbox_messages") >= 6, 60, "reports in the outbox");
            new ProcessBuilder("kill", "-9", Long.toString(gateway.pid())).start().waitFor(5, TimeUnit.SECONDS);
            java.time.Instant killed = java.time.Instant.now();
            gateway.process.waitFor(10, TimeUnit.SECONDS);

            broker = mosquitto(conf, mqtt);
            sub = watch(mqtt, seen);
            gateway = Runtime.start(tmp.resolve("gw"), "gateway", "--http-port", String.valueOf(http),
                    "--platform", "tcp://127.0.0.1:" + mqtt, "--id", "gw-crash");
            waitFor(() -> !ids(seen).isEmpty() && ids(seen).last() >= lastBefore + 12, 60, "reports after restart");
            TreeSet<Long> ids = ids(seen);
            for (long id = lastBefore; id <= ids.last(); id++) {
                assertTrue(ids.contains(id), "report " + id + " lost; received " + ids + "\n" + gateway.log());
            }
            // and the reports made while the broker was away, before the kill, are among them
            Matcher ts = Pattern.compile("\"ts\":\"([^\"]+)\"").matcher(Files.readString(seen));
            int duringOutage = 0;
            while (ts.find()) {
                java.time.Instant t = java.time.Instant.parse(ts.group(1));
                if (t.isAfter(outageStart) && t.isBefore(killed)) {
                    duringOutage++;
                }
            }
            assertTrue(duringOutage >= 4, "reports made during the outage and delivered after it: " + duringOutage);
        } finally {
            gateway.close();
            sub.destroyForcibly();
            broker.destroyForcibly();
        }
    }

    private static Process mosquitto(Path conf, int port) throws Exception {
        Process p = new ProcessBuilder("/usr/sbin/mosquitto", "-c", conf.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return p;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("mosquitto did not start");
    }

    private static Process watch(int port, Path into) throws Exception {
        Process p = new ProcessBuilder("mosquitto_sub", "-V", "5", "-h", "127.0.0.1", "-p", String.valueOf(port),
                "-q", "1", "-t", "edgeshare/v1/gw/gw-crash/status", "-t", "edgeshare/v1/gw/gw-crash/catalog").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(into.toFile())).start();
        Thread.sleep(300); // subscribed before the gateway's earliest reconnect (1.5 s)
        return p;
    }

    private static TreeSet<Long> ids(Path file) {
        TreeSet<Long> ids = new TreeSet<>();
        try {
            if (Files.exists(file)) {
                Matcher m = MSG_ID.matcher(Files.readString(file, StandardCharsets.UTF_8));
                while (m.find()) {
                    ids.add(Long.parseLong(m.group(1)));
                }
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return ids;
    }

    private static void waitFor(java.util.function.BooleanSupplier c, int seconds, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(200);
        }
    }
}
