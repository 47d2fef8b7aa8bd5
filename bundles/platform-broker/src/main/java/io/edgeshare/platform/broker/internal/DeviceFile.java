package io.edgeshare.platform.broker.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
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

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.edgeshare.support.InstanceData;

/**
 * The device registry in one small file of the platform instance ({@code data/devices/devices.txt}, one line
 * per device: id, salt, PBKDF2 hash, iterations, enrolment time). Every change rewrites the file beside it,
 * forces it to disk and renames it over the old one, so a crash at any moment leaves either the old or the new
 * registry, and an enrolment is answered only after it is durable.
 */
@Component(configurationPid = "edgeshare.platform.broker", configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = DeviceRegistry.class)
public final class DeviceFile implements DeviceRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceFile.class);
    // The password is 256 random bits: stretching adds nothing against guessing it, and every reconnect pays it.
    static final int ITERATIONS = 10_000;
    private static final String FILE = "devices.txt";
    /** K1; the extension in HiveMQ's class loader applies the same rule to usernames. */
    static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    static final String PLATFORM_USERNAME = "edgeshare-platform";

    private record Entry(String deviceId, byte[] salt, byte[] hash, int iterations, long enrolledAt) {
    }

    private final Path file;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Entry> devices = new ConcurrentHashMap<>();
    private final List<Consumer<String>> revocationListeners = new CopyOnWriteArrayList<>();

    @Activate
    public DeviceFile(BundleContext context, BrokerConfig config) throws IOException {
        this(dir(context, config));
    }

    DeviceFile(Path dir) throws IOException {
        Files.createDirectories(dir);
        this.file = dir.resolve(FILE);
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
                String[] f = line.split(" ");
                if (f.length == 5) {
                    Base64.Decoder b64 = Base64.getDecoder();
                    devices.put(f[0], new Entry(f[0], b64.decode(f[1]), b64.decode(f[2]), Integer.parseInt(f[3]),
                            Long.parseLong(f[4])));
                }
            }
        }
        LOG.debug("edgeshare.platform.broker: {} enrolled devices in {}", devices.size(), file);
    }

    private static Path dir(BundleContext context, BrokerConfig config) {
        if (!config.devices_dir().isBlank()) {
            return Path.of(config.devices_dir());
        }
        return InstanceData.resolve(context, "devices");
    }

    @Override
    public synchronized Enrolled enrol(String deviceId) {
        if (deviceId == null || !DEVICE_ID.matcher(deviceId).matches() || deviceId.equals(PLATFORM_USERNAME)) {
            throw new IllegalArgumentException("a device id is 1-64 letters, digits, '.', '_' or '-'"
                    + " (and not " + PLATFORM_USERNAME + ")");
        }
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        Entry entry = new Entry(deviceId, salt, hash(password.getBytes(StandardCharsets.US_ASCII), salt, ITERATIONS),
                ITERATIONS, System.currentTimeMillis());
        Entry previous = devices.put(deviceId, entry);
        try {
            save();
        } catch (IOException e) {
            if (previous == null) {
                devices.remove(deviceId);
            } else {
                devices.put(deviceId, previous);
            }
            throw new UncheckedIOException(e);
        }
        LOG.info("edgeshare.platform.broker: device {} {}", deviceId, previous == null ? "enrolled" : "given a new password");
        return new Enrolled(deviceId, password, previous != null);
    }

    @Override
    public boolean revoke(String deviceId) {
        synchronized (this) {
            Entry previous = devices.remove(deviceId);
            if (previous == null) {
                return false;
            }
            try {
                save();
            } catch (IOException e) {
                devices.put(deviceId, previous);
                throw new UncheckedIOException(e);
            }
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
        Entry e = devices.get(deviceId);
        if (e == null) {
            return false;
        }
        return MessageDigest.isEqual(e.hash(), hash(password, e.salt(), e.iterations()));
    }

    @Override
    public void addRevocationListener(Consumer<String> listener) {
        revocationListeners.add(listener);
    }

    @Override
    public void removeRevocationListener(Consumer<String> listener) {
        revocationListeners.remove(listener);
    }

    private void save() throws IOException {
        Base64.Encoder b64 = Base64.getEncoder();
        StringBuilder text = new StringBuilder();
        for (Entry e : devices.values()) {
            text.append(e.deviceId()).append(' ').append(b64.encodeToString(e.salt())).append(' ')
                    .append(b64.encodeToString(e.hash())).append(' ').append(e.iterations()).append(' ')
                    .append(e.enrolledAt()).append('\n');
        }
        Path tmp = file.resolveSibling(FILE + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.US_ASCII));
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
            dir.force(true); // the rename itself must survive a power cut
        }
    }

    private static byte[] hash(byte[] password, byte[] salt, int iterations) {
        char[] chars = new String(password, StandardCharsets.ISO_8859_1).toCharArray();
        try {
            PBEKeySpec spec = new PBEKeySpec(chars, salt, iterations, 256);
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is part of every Java 17", e);
        } finally {
            java.util.Arrays.fill(chars, '\0');
        }
    }
}
