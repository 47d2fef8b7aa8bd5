package io.edgeshare.platform.broker.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

import io.edgeshare.api.broker.PlatformBrokerLogin;
import io.edgeshare.api.telemetry.TelemetrySnapshot;
import io.edgeshare.api.telemetry.TelemetrySource;
import io.edgeshare.support.InstanceData;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the platform's embedded MQTT 5 broker while its configuration says so, admitting only enrolled devices
 * and the platform itself (K1, K2). Starting takes a few seconds, so it happens on a thread of its own:
 * activation returns at once. A configuration change restarts the broker (clients reconnect), which is what an
 * operator who moved the port expects. Its figures (telemetry source {@code broker}): admissions and refusals by
 * kind, and {@code messages.dropped}, the messages HiveMQ dropped because a client's queue was full (logged once,
 * naming the setting to raise).
 */
@Component(configurationPid = "edgeshare.platform.broker", configurationPolicy = ConfigurationPolicy.REQUIRE,
        immediate = true, service = TelemetrySource.class)
@Designate(ocd = BrokerConfig.class)
public final class EmbeddedBroker implements TelemetrySource {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBroker.class);
    private static final long DROP_CHECK_S = 5;

    // starts and stops the broker, and looks at its dropped-message count every few seconds
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(
            r -> new Thread(r, "edgeshare-broker"));
    private final DeviceRegistry devices;
    private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();
    private final Consumer<String> disconnectRevoked = this::disconnect;
    private final BundleContext context;
    private volatile HiveMqBroker broker; // started and stopped on executor
    private volatile ServiceRegistration<PlatformBrokerLogin> login; // registered and unregistered on executor
    private volatile long dropped; // as last read from the broker
    private boolean droppedLogged; // on executor

    /** The platform's login offered to fleet and policy authoring; toString hides the password. */
    private record Login(String uri, String password) implements PlatformBrokerLogin {
        @Override
        public String username() {
            return "edgeshare-platform";
        }

        @Override
        public String toString() {
            return "PlatformBrokerLogin[" + uri + "]";
        }
    }

    @Activate
    public EmbeddedBroker(BundleContext context, BrokerConfig config, @Reference DeviceRegistry devices) {
        this.devices = devices;
        this.context = context;
        if (!config.enabled()) {
            LOG.info("edgeshare.platform.broker: embedded broker disabled by configuration");
            return;
        }
        String password = platformPassword(context, config);
        Path lib = libDir(context, config);
        if (config.port() < 1 || config.port() > 65535 || lib == null || password == null) {
            if (config.port() < 1 || config.port() > 65535) {
                LOG.warn("edgeshare.platform.broker: not starting: PID edgeshare.platform.broker key port is empty or"
                        + " out of range ({}); set a TCP port", config.port());
            }
            return;
        }
        FlowControl flow;
        try {
            flow = FlowControl.of(config);
        } catch (IllegalArgumentException e) {
            LOG.warn("edgeshare.platform.broker: not starting: PID edgeshare.platform.broker: {}", e.getMessage());
            return;
        }
        BrokerAdmission admission = new BrokerAdmission(devices, password);
        Path home = !config.data_dir().isBlank() ? Path.of(config.data_dir())
                : InstanceData.resolve(context, "broker");
        BrokerAccess access = new BrokerAccess(config.topic_prefix(), admission, this::count,
                config.max_packet_bytes());
        devices.addRevocationListener(disconnectRevoked);
        executor.execute(() -> start(lib, home, config, access, flow, password));
        executor.scheduleWithFixedDelay(() -> checkDropped(flow, home), DROP_CHECK_S, DROP_CHECK_S,
                TimeUnit.SECONDS);
    }

    @Override
    public String name() {
        return "broker";
    }

    @Override
    public TelemetrySnapshot snapshot() {
        Map<String, Number> metrics = new HashMap<>();
        counters.forEach((event, n) -> metrics.put(event, n.sum()));
        metrics.put("messages.dropped", dropped);
        return new TelemetrySnapshot("broker", Instant.now(), metrics,
                Map.of("state", broker != null ? "running" : "stopped"));
    }

    /**
     * Reads HiveMQ's dropped-message count (every reason: a client's queue full, a QoS 0 message a slow client
     * could not take, a packet too large for the client); the first drop is logged with the setting to raise.
     */
    private void checkDropped(FlowControl flow, Path home) {
        HiveMqBroker b = broker;
        long now = b == null ? -1 : b.droppedMessages();
        if (now < 0) {
            return;
        }
        dropped = now;
        if (now > 0 && !droppedLogged) {
            droppedLogged = true;
            LOG.warn("edgeshare.platform.broker: the broker dropped {} message(s); {} names each one's client, topic"
                    + " and reason. \"The client message queue is full\" for the platform's session (client id"
                    + " edgeshare-platform-...) means births, catalogs or reports it never saw: raise queued.messages.max"
                    + " (now {}) in PID edgeshare.platform.broker. Further drops are counted in the broker metric"
                    + " messages.dropped, not logged here", now, home.resolve("log").resolve("dropped.log"),
                    flow.queuedMessagesMax());
        }
    }

    /** The configured password, else (no launcher: Karaf) the one this bundle keeps in the instance. */
    private static String platformPassword(BundleContext context, BrokerConfig config) {
        if (PlatformPassword.given(config.platform_password())) {
            return config.platform_password();
        }
        try {
            String password = PlatformPassword.loadOrCreate(InstanceData.resolve(context, ""));
            LOG.info("edgeshare.platform.broker: PID edgeshare.platform.broker key platform.password is not set;"
                    + " using the platform password kept in {}", InstanceData.resolve(context, PlatformPassword.FILE));
            return password;
        } catch (IOException e) {
            LOG.warn("edgeshare.platform.broker: not starting: no platform.password in PID edgeshare.platform.broker"
                    + " and none can be stored: {}", e.getMessage());
            return null;
        }
    }

    /** The HiveMQ CE jars (a folder or a zip): key lib.dir, else the framework property edgeshare.broker.lib; null (logged). */
    private static Path libDir(BundleContext context, BrokerConfig config) {
        String dir = config.lib_dir();
        if (dir == null || dir.isBlank() || dir.contains("${")) {
            dir = context.getProperty("edgeshare.broker.lib");
        }
        if (dir == null || dir.isBlank() || dir.contains("${")) {
            LOG.warn("edgeshare.platform.broker: not starting: PID edgeshare.platform.broker key lib.dir is empty and"
                    + " no framework property edgeshare.broker.lib names the HiveMQ CE jar folder");
            return null;
        }
        Path lib = Path.of(dir.strip());
        if (!Files.isDirectory(lib) && !(Files.isRegularFile(lib) && lib.toString().endsWith(".zip"))) {
            LOG.warn("edgeshare.platform.broker: not starting: PID edgeshare.platform.broker key lib.dir {} is neither"
                    + " a folder nor a .zip of the HiveMQ CE jars", lib);
            return null;
        }
        return lib;
    }

    private void count(String event) {
        counters.computeIfAbsent(event, e -> new LongAdder()).increment();
        LOG.debug("edgeshare.platform.broker: {}", event);
    }

    private void disconnect(String deviceId) {
        HiveMqBroker b = broker;
        if (b != null) {
            b.disconnect(deviceId);
        }
    }

    private void start(Path lib, Path home, BrokerConfig config, BrokerAccess access, FlowControl flow,
            String password) {
        long t0 = System.nanoTime();
        try {
            Path jars = HiveMqLibrary.folder(lib, InstanceData.resolve(context, "hivemq-lib"));
            broker = HiveMqBroker.start(jars, home, config.bind_address(), config.port(), access, flow,
                    config.start_timeout_s());
            LOG.info("edgeshare.platform.broker: MQTT 5 broker listening on {}:{} (started in {} ms; receive maximum"
                    + " {}, {} in flight and {} queued messages per client, {} persistence)", config.bind_address(),
                    config.port(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), flow.serverReceiveMaximum(),
                    flow.clientInflightMax(), flow.queuedMessagesMax(), flow.filePersistence() ? "file" : "in-memory");
            String host = config.bind_address().contains(":") ? "[" + config.bind_address() + "]"
                    : config.bind_address().equals("0.0.0.0") ? "127.0.0.1" : config.bind_address();
            if (!PlatformPassword.given(config.platform_password())) {
                // only a password this bundle made is offered: with a configured one (the launcher) fleet and
                // policy have theirs in their own configuration, and a new service would restart them
                login = context.registerService(PlatformBrokerLogin.class,
                        new Login("tcp://" + host + ":" + config.port(), password), null);
            }
        } catch (IOException | TimeoutException e) {
            LOG.error("edgeshare.platform.broker: broker did not start on {}:{}: {}", config.bind_address(),
                    config.port(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        devices.removeRevocationListener(disconnectRevoked);
        executor.execute(() -> {
            ServiceRegistration<PlatformBrokerLogin> l = login;
            if (l != null) {
                l.unregister();
                login = null;
            }
            HiveMqBroker b = broker;
            if (b != null) {
                try {
                    b.close();
                    LOG.info("edgeshare.platform.broker: broker stopped");
                } catch (IOException e) {
                    LOG.warn("edgeshare.platform.broker: {}", e.getMessage());
                }
                broker = null;
            }
        });
        executor.shutdown();
        if (!executor.awaitTermination(40, TimeUnit.SECONDS)) {
            LOG.warn("edgeshare.platform.broker: broker still stopping after 40 s; leaving it");
        }
    }
}
