package io.edgeshare.testsupport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A real Mosquitto broker (Debian package {@code mosquitto}) on a free loopback port, for tests that check
 * interoperability with the broker operators most often run.
 */
public final class MosquittoBroker implements AutoCloseable {
    /** Brokers still running when the test JVM exits (a test that failed before close) are stopped with it. */
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly),
                "mosquitto-test-reaper"));
    }

    private Process process;
    private final int port;
    private final Path dir;

    private MosquittoBroker(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    /** A plain listener on a free port. */
    public static MosquittoBroker start() throws IOException, InterruptedException {
        return start("");
    }

    /**
     * A plain listener on a free port with extra configuration lines, e.g. {@code "max_inflight_messages 4\n"}
     * (which Mosquitto also announces to MQTT 5 clients as its receive maximum).
     */
    public static MosquittoBroker start(String extraConfig) throws IOException, InterruptedException {
        int port = EdgeShareOptions.freePort();
        Path dir = Files.createTempDirectory("mosquitto-test");
        Files.writeString(dir.resolve("mosquitto.conf"),
                "listener " + port + " 127.0.0.1\nallow_anonymous true\npersistence false\n" + extraConfig);
        return new MosquittoBroker(launch(dir, port), port, dir);
    }

    /**
     * A plain listener on {@link #port()} (for the test's own clients) and a TLS listener on {@code tlsPort}
     * that requires a client certificate signed by {@code caFile}; the broker presents {@code certFile}.
     */
    public static MosquittoBroker startTls(int tlsPort, Path caFile, Path certFile, Path keyFile)
            throws IOException, InterruptedException {
        int port = EdgeShareOptions.freePort();
        Path dir = Files.createTempDirectory("mosquitto-tls-test");
        Files.writeString(dir.resolve("mosquitto.conf"), "per_listener_settings false\nallow_anonymous true\n"
                + "persistence false\nlistener " + port + " 127.0.0.1\n" + "listener " + tlsPort + " 127.0.0.1\n"
                + "cafile " + caFile + "\ncertfile " + certFile + "\nkeyfile " + keyFile
                + "\nrequire_certificate true\n");
        return new MosquittoBroker(launch(dir, port), port, dir);
    }

    /**
     * A listener that admits only the clients of Mosquitto's dynamic security plugin (Debian's
     * {@code mosquitto_dynamic_security.so}), starting with one admin user; configure the rest through
     * {@code $CONTROL/dynamic-security/v1} (mosquitto_ctrl). No anonymous access; packets above
     * {@code maxPacketBytes} are refused.
     */
    public static MosquittoBroker startWithDynamicSecurity(String adminUser, String adminPassword, int maxPacketBytes)
            throws IOException, InterruptedException {
        return startWithDynamicSecurity(adminUser, adminPassword, maxPacketBytes, "");
    }

    /** As {@link #startWithDynamicSecurity(String, String, int)}, with more lines of mosquitto.conf. */
    public static MosquittoBroker startWithDynamicSecurity(String adminUser, String adminPassword, int maxPacketBytes,
            String extraConfig) throws IOException, InterruptedException {
        Path plugin = Path.of("/usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so");
        if (!Files.exists(plugin)) {
            throw new IllegalStateException("mosquitto_dynamic_security.so not installed (apt-get install -y mosquitto)");
        }
        int port = EdgeShareOptions.freePort();
        Path dir = Files.createTempDirectory("mosquitto-dynsec-test");
        Path dynsec = dir.resolve("dynamic-security.json");
        Process init = new ProcessBuilder("mosquitto_ctrl", "dynsec", "init", dynsec.toString(), adminUser,
                adminPassword).redirectErrorStream(true).start();
        if (!init.waitFor(10, TimeUnit.SECONDS) || init.exitValue() != 0) {
            throw new IOException("mosquitto_ctrl dynsec init failed: " + new String(init.getInputStream().readAllBytes()));
        }
        // run as root, Mosquitto would switch to user mosquitto, which cannot read or save the private test folder
        Files.writeString(dir.resolve("mosquitto.conf"), "user " + System.getProperty("user.name")
                + "\nper_listener_settings false\nallow_anonymous false\n"
                + "persistence false\nmax_packet_size " + maxPacketBytes + "\nplugin " + plugin
                + "\nplugin_opt_config_file " + dynsec + "\nlistener " + port + " 127.0.0.1\n" + extraConfig);
        return new MosquittoBroker(launch(dir, port), port, dir);
    }

    /** Stops the broker the hard way, as a crash or a network cut would, keeping its port for {@link #restart()}. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }

    /** Starts the broker again on the same port. */
    public void restart() throws IOException, InterruptedException {
        process = launch(dir, port);
    }

    private static Process launch(Path dir, int port) throws IOException, InterruptedException {
        Path binary = Path.of("/usr/sbin/mosquitto");
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException("mosquitto not installed (apt-get install -y mosquitto)");
        }
        Path conf = dir.resolve("mosquitto.conf");
        Process p = new ProcessBuilder(binary.toString(), "-c", conf.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("mosquitto.log").toFile()).start();
        RUNNING.add(p);
        p.onExit().thenRun(() -> RUNNING.remove(p));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IOException("mosquitto exited: " + Files.readString(dir.resolve("mosquitto.log")));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return p;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        p.destroyForcibly();
        throw new IOException("mosquitto did not listen on " + port + " within 10 s");
    }

    public int port() {
        return port;
    }

    public String uri() {
        return "tcp://127.0.0.1:" + port;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // temp files; nothing to lose
        }
    }
}
