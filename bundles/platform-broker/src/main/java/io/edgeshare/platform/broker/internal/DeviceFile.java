package io.edgeshare.platform.broker.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.edgeshare.support.InstanceData;

/**
 * The device registry of the platform instance ({@code data/devices/devices.txt}): an append-only journal of
 * enrolments and revocations ({@link DeviceJournal}), replayed into memory at start. Enrolments hash outside
 * any lock and share one fsync when they arrive together (group commit); each is answered only once its line
 * is on disk, and only then does its password work.
 */
@Component(configurationPid = "edgeshare.platform.broker", configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = DeviceRegistry.class)
public final class DeviceFile implements DeviceRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceFile.class);
    /** K1; the extension in HiveMQ's class loader applies the same rule to usernames. */
    static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    static final String PLATFORM_USERNAME = "edgeshare-platform";

    private final SecureRandom random = new SecureRandom();
    private final Map<String, DeviceSecret> devices = new ConcurrentHashMap<>();
    private final DeviceJournal journal;
    private final List<Consumer<String>> revocationListeners = new CopyOnWriteArrayList<>();

    @Activate
    public DeviceFile(BundleContext context, BrokerConfig config) throws IOException {
        this(dir(context, config));
    }

    DeviceFile(Path dir) throws IOException {
        this.journal = new DeviceJournal(dir, devices);
        LOG.debug("edgeshare.platform.broker: {} enrolled devices in {}", devices.size(), dir);
    }

    private static Path dir(BundleContext context, BrokerConfig config) {
        if (!config.devices_dir().isBlank()) {
            return Path.of(config.devices_dir());
        }
        return InstanceData.resolve(context, "devices");
    }

    @Deactivate
    void close() {
        journal.close();
    }

    @Override
    public Enrolled enrol(String deviceId) {
        if (deviceId == null || !DEVICE_ID.matcher(deviceId).matches() || deviceId.equals(PLATFORM_USERNAME)) {
            throw new IllegalArgumentException("a device id is 1-64 letters, digits, '.', '_' or '-'"
                    + " (and not " + PLATFORM_USERNAME + ")");
        }
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        DeviceSecret entry = DeviceSecret.issue(deviceId, password.getBytes(StandardCharsets.US_ASCII), random,
                System.currentTimeMillis());
        boolean rotated;
        try {
            rotated = journal.commit(DeviceJournal.Change.enrol(entry));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        LOG.info("edgeshare.platform.broker: device {} {}", deviceId, rotated ? "given a new password" : "enrolled");
        return new Enrolled(deviceId, password, rotated);
    }

    @Override
    public boolean revoke(String deviceId) {
        if (deviceId == null || !devices.containsKey(deviceId)) {
            return false;
        }
        boolean known;
        try {
            known = journal.commit(DeviceJournal.Change.revoke(deviceId, System.currentTimeMillis()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!known) {
            return false; // revoked by someone else meanwhile
        }
        LOG.info("edgeshare.platform.broker: device {} revoked", deviceId);
        revocationListeners.forEach(l -> l.accept(deviceId));
        return true;
    }

    @Override
    public List<Device> list() {
        List<Device> list = new ArrayList<>();
        devices.values().forEach(e -> list.add(new Device(e.deviceId(), e.enrolledAt())));
        list.sort(Comparator.comparing(Device::deviceId));
        return list;
    }

    @Override
    public boolean verify(String deviceId, byte[] password) {
        DeviceSecret e = devices.get(deviceId);
        return e != null && e.matches(password);
    }

    @Override
    public void addRevocationListener(Consumer<String> listener) {
        revocationListeners.add(listener);
    }

    @Override
    public void removeRevocationListener(Consumer<String> listener) {
        revocationListeners.remove(listener);
    }

    /** How many times the journal was forced to disk (group commit makes this less than the changes). */
    long syncs() {
        return journal.syncs();
    }
}
