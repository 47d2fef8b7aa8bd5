package io.edgeshare.platform.broker.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry file as an append-only journal: one line per enrolment ({@link DeviceSecret#line()}) or
 * revocation ({@code !revoke id at}; '!' is never in a device id). Changes that arrive while another is being
 * forced to disk wait and are then written and forced together (group commit), so N concurrent enrolments cost
 * about one fsync, not N. The in-memory map changes only after a change's line is durable, so a password works
 * only once it would survive a crash. The file is rewritten (compacted: written beside, forced, renamed over)
 * at start and when it has grown well past the live set. A torn last line (the process killed mid-write) was
 * never acknowledged: it is skipped with a log line.
 */
final class DeviceJournal {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceJournal.class);
    static final String FILE = "devices.txt";
    private static final String REVOKE = "!revoke";
    /** Compact when the journal holds this many lines more than twice the live devices. */
    private static final int SLACK = 1000;

    /** An enrolment (a new secret) or a revocation. */
    record Change(DeviceSecret enrolled, String revokedId, long at) {
        static Change enrol(DeviceSecret secret) {
            return new Change(secret, null, secret.enrolledAt());
        }

        static Change revoke(String deviceId, long at) {
            return new Change(null, deviceId, at);
        }

        String line() {
            return enrolled != null ? enrolled.line() : REVOKE + ' ' + revokedId + ' ' + at;
        }
    }

    private static final class Pending {
        final Change change;
        boolean done; // guarded by flushLock, like the two below
        boolean result;
        IOException failure;

        Pending(Change change) {
            this.change = change;
        }
    }

    private final Path file;
    private final Map<String, DeviceSecret> devices;
    private final Object flushLock = new Object();
    private List<Pending> queue = new ArrayList<>(); // guarded by this
    private FileChannel channel; // guarded by flushLock
    private long lines; // guarded by flushLock
    private final AtomicLong syncs = new AtomicLong();

    /** Replays the journal into {@code devices} and compacts it. */
    DeviceJournal(Path dir, Map<String, DeviceSecret> devices) throws IOException {
        Files.createDirectories(dir);
        this.file = dir.resolve(FILE);
        this.devices = devices;
        if (Files.exists(file)) {
            replay(Files.readString(file, StandardCharsets.US_ASCII));
        }
        synchronized (flushLock) {
            compact();
        }
    }

    private void replay(String text) {
        int start = 0;
        int number = 0;
        int skipped = 0;
        while (start < text.length()) {
            int end = text.indexOf('\n', start);
            number++;
            if (end < 0) {
                LOG.warn("edgeshare.platform.broker: {} ends with an unfinished line {} (a change interrupted before it"
                        + " was acknowledged); ignored", file, number);
                break;
            }
            String line = text.substring(start, end);
            start = end + 1;
            try {
                apply(parse(line));
            } catch (IllegalArgumentException e) {
                skipped++;
                LOG.warn("edgeshare.platform.broker: {} line {} is not a registry line ({}); ignored", file, number,
                        e.getMessage());
            }
        }
        if (skipped > 0) {
            LOG.warn("edgeshare.platform.broker: {} lines of {} ignored", skipped, file);
        }
    }

    private static Change parse(String line) {
        String[] f = line.split(" ");
        if (f.length == 3 && f[0].equals(REVOKE)) {
            try {
                return Change.revoke(f[1], Long.parseLong(f[2]));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad revocation time");
            }
        }
        return Change.enrol(DeviceSecret.parse(f));
    }

    /** @return for an enrolment whether the device was known (a rotation); for a revocation whether it was */
    private boolean apply(Change c) {
        return c.enrolled() != null ? devices.put(c.enrolled().deviceId(), c.enrolled()) != null
                : devices.remove(c.revokedId()) != null;
    }

    /**
     * Returns once the change is durable and applied.
     *
     * @return see {@link #apply}
     * @throws IOException when it could not be written (then it is not applied)
     */
    boolean commit(Change change) throws IOException {
        Pending p = new Pending(change);
        synchronized (this) {
            queue.add(p);
        }
        synchronized (flushLock) {
            if (!p.done) {
                flush(); // our change and every one queued behind the previous fsync
            }
            if (p.failure != null) {
                throw p.failure;
            }
            return p.result;
        }
    }

    private void flush() {
        List<Pending> batch;
        synchronized (this) {
            batch = queue;
            queue = new ArrayList<>();
        }
        StringBuilder text = new StringBuilder();
        batch.forEach(p -> text.append(p.change.line()).append('\n'));
        long size = -1;
        try {
            if (channel == null) {
                throw new IOException("the device registry is closed");
            }
            size = channel.size();
            ByteBuffer buf = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.US_ASCII));
            while (buf.hasRemaining()) {
                channel.write(buf);
            }
            channel.force(false);
            syncs.incrementAndGet();
        } catch (IOException e) {
            truncate(size);
            batch.forEach(p -> {
                p.failure = e;
                p.done = true;
            });
            return;
        }
        lines += batch.size();
        batch.forEach(p -> {
            p.result = apply(p.change);
            p.done = true;
        });
        if (lines > 2L * devices.size() + SLACK) {
            try {
                compact();
            } catch (IOException e) {
                LOG.warn("edgeshare.platform.broker: cannot compact {}: {}", file, e.getMessage());
            }
        }
    }

    /** Takes back a partly written batch, so its lines cannot come back after a restart. */
    private void truncate(long size) {
        if (channel != null && size >= 0) {
            try {
                channel.truncate(size);
            } catch (IOException e) {
                LOG.warn("edgeshare.platform.broker: cannot take back a failed write to {}: {}", file, e.getMessage());
            }
        }
    }

    /** Rewrites the live set beside the journal, forces it and renames it over (callers hold flushLock). */
    private void compact() throws IOException {
        StringBuilder text = new StringBuilder();
        devices.values().forEach(e -> text.append(e.line()).append('\n'));
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
        if (channel != null) {
            channel.close(); // it points at the replaced file
            channel = null;
        }
        try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
            dir.force(true); // the rename itself must survive a power cut
        }
        channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        lines = devices.size();
        syncs.incrementAndGet();
    }

    void close() {
        synchronized (flushLock) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException e) {
                    LOG.debug("edgeshare.platform.broker: closing {}: {}", file, e.getMessage());
                }
                channel = null;
            }
        }
    }

    long syncs() {
        return syncs.get();
    }
}
