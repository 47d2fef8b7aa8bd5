package io.edgeshare.platform.broker.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

import org.osgi.framework.BundleContext;
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
 * operator who moved the port expects.
 */
@Component(configurationPid = "edgeshare.platform.broker", configurationPolicy = ConfigurationPolicy.REQUIRE,
        immediate = true, service = {})
@Designate(ocd = BrokerConfig.class)
public final class EmbeddedBroker {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBroker.class);

    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "edgeshare-broker"));
    private final DeviceRegistry devices;
    private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();
    private final Consumer<String> disconnectRevoked = this::disconnect;
    private volatile HiveMqBroker broker; // started and stopped on executor

    @Activate
    public EmbeddedBroker(BundleContext context, BrokerConfig config, @Reference DeviceRegistry devices) {
        this.devices = devices;
        BrokerAdmission admission = new BrokerAdmission(devices, config.platform_password());
        if (!config.enabled()) {
            LOG.info("edgeshare.platform.broker: embedded broker disabled by configuration");
            return;
        }
        if (!admission.platformCanConnect()) {
            LOG.warn("edgeshare.platform.broker: platform.password is empty: the platform's own clients cannot connect");
        }
        Path lib = Path.of(config.lib_dir().isBlank() ? String.valueOf(context.getProperty("edgeshare.broker.lib"))
                : config.lib_dir());
        String instance = context.getProperty("edgeshare.instance.dir");
        Path home = !config.data_dir().isBlank() ? Path.of(config.data_dir())
                : instance != null ? Path.of(instance, "data", "broker") : context.getDataFile("broker").toPath();
        BrokerAccess access = new BrokerAccess(config.topic_prefix(), admission, this::count,
                config.max_packet_bytes());
        devices.addRevocationListener(disconnectRevoked);
        executor.execute(() -> start(lib, home, config, access));
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

    private void start(Path lib, Path home, BrokerConfig config, BrokerAccess access) {
        long t0 = System.nanoTime();
        try {
            broker = HiveMqBroker.start(lib, home, config.bind_address(), config.port(), access,
                    config.start_timeout_s());
            LOG.info("edgeshare.platform.broker: MQTT 5 broker listening on {}:{} (started in {} ms)",
                    config.bind_address(), config.port(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
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
