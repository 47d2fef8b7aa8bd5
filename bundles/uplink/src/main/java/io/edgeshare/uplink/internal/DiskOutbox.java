package io.edgeshare.uplink.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.CRC32;

/**
 * Reports waiting for the broker, kept on disk so that nothing acknowledged to a producer is lost across a
 * broker outage or a {@code kill -9}. One append-only log per priority (0 is highest), a cursor file per log
 * that says up to which message id the broker has acknowledged, and segment files deleted once fully
 * acknowledged.
 *
 * <p>{@link #append} returns after the record is forced to disk. Delivery is in order within a priority,
 * higher priorities first. The outbox is bounded by bytes (the oldest messages of the lowest priority go
 * first) and by age; a message past its own expiry is skipped. Every message carries an id, increasing
 * over the outbox's life, so the platform can drop the duplicates a crash between delivery and cursor write
 * may cause.
 *
 * <p>Not thread-safe: the uplink calls it from its single executor thread.
 */
final class DiskOutbox implements AutoCloseable {
    static final int PRIORITIES = 3;
    private static final int HEADER = 8; // body length + CRC32
    private static final long SEGMENT_BYTES = 1 << 20;

    /** A message in the outbox; the payload stays on disk until it is sent. */
    record Entry(long id, int priority, long createdMs, long expiresMs, String topic, long segment, long offset,
            int size) {
    }

    /** A message read back for sending. */
    record Message(Entry entry, String topic, byte[] payload) {
    }

    private final Path dir;
    private final long maxBytes;
    private final long maxAgeMs;
    private final Clock clock;
    private final Lane[] lanes = new Lane[PRIORITIES];
    private long nextId;
    private long bytes;
    private long dropped;
    private long expired;

    DiskOutbox(Path dir, long maxBytes, long maxAgeMs, Clock clock) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.maxBytes = maxBytes;
        this.maxAgeMs = maxAgeMs;
        this.clock = clock;
        long maxSeen = 0;
        for (int p = 0; p < PRIORITIES; p++) {
            lanes[p] = new Lane(Files.createDirectories(dir.resolve("p" + p)), p);
            maxSeen = Math.max(maxSeen, lanes[p].recover());
        }
        nextId = maxSeen + 1;
    }

    /**
     * Stores a message durably. Returns its id once it is on disk; older messages may be evicted to stay
     * within the size bound.
     */
    long append(String topic, byte[] payload, int priority, long ttlMs) throws IOException {
        if (priority < 0 || priority >= PRIORITIES) {
            throw new IllegalArgumentException("priority must be 0.." + (PRIORITIES - 1) + ": " + priority);
        }
        long now = clock.millis();
        long expires = ttlMs > 0 ? now + ttlMs : Long.MAX_VALUE;
        long id = nextId++;
        Entry e = lanes[priority].write(id, now, expires, topic, payload);
        bytes += e.size();
        enforceBounds();
        return id;
    }

    /**
     * The next message to send after those already handed out since the last {@link #rewind()}, highest
     * priority first; expired messages are skipped and counted.
     */
    Optional<Message> next() throws IOException {
        long now = clock.millis();
        for (Lane lane : lanes) {
            while (lane.cursorToSend < lane.entries.size()) {
                Entry e = lane.entries.get(lane.cursorToSend);
                if (e.expiresMs() <= now || now - e.createdMs() > maxAgeMs) {
                    if (e.id() > lane.countedExpired) {
                        expired++;
                        lane.countedExpired = e.id();
                    }
                    if (lane.cursorToSend == 0) {
                        // nothing before it is in flight: it can be forgotten right away
                        lane.remove(e);
                        lane.acked = Math.max(lane.acked, e.id());
                        lane.cursorDirty = true;
                        bytes -= e.size();
                    } else {
                        lane.cursorToSend++; // not sent; goes when a later message is acknowledged
                    }
                    continue;
                }
                lane.cursorToSend++;
                return Optional.of(new Message(e, e.topic(), lane.read(e)));
            }
        }
        return Optional.empty();
    }

    /** The broker acknowledged {@code entry}: it and everything before it in its priority are done. */
    void acknowledged(Entry entry) throws IOException {
        Lane lane = lanes[entry.priority()];
        while (!lane.entries.isEmpty() && lane.entries.get(0).id() <= entry.id()) {
            Entry done = lane.entries.get(0);
            lane.remove(done);
            bytes -= done.size();
            if (lane.cursorToSend > 0) {
                lane.cursorToSend--;
            }
        }
        lane.acked = Math.max(lane.acked, entry.id());
        lane.cursorDirty = true;
    }

    /** After a disconnect: what was handed out but not acknowledged will be handed out again. */
    void rewind() {
        for (Lane lane : lanes) {
            lane.cursorToSend = 0;
        }
    }

    /** Writes the acknowledgement cursors (cheap when nothing changed); called periodically and on close. */
    void sync() throws IOException {
        for (Lane lane : lanes) {
            lane.writeCursor();
        }
    }

    /** The id the next {@link #append} will get, so a payload can name itself. */
    long nextId() {
        return nextId;
    }

    int size() {
        int n = 0;
        for (Lane lane : lanes) {
            n += lane.entries.size();
        }
        return n;
    }

    long bytes() {
        return bytes;
    }

    long dropped() {
        return dropped;
    }

    long expired() {
        return expired;
    }

    @Override
    public void close() throws IOException {
        sync();
        for (Lane lane : lanes) {
            lane.closeWriter();
        }
    }

    private void enforceBounds() throws IOException {
        for (int p = PRIORITIES - 1; p >= 0 && bytes > maxBytes; p--) {
            Lane lane = lanes[p];
            // never evict what is in flight; the newest message always stays
            while (bytes > maxBytes && lane.entries.size() > lane.cursorToSend && lane.cursorToSend == 0
                    && lane.entries.size() > (p == 0 ? 1 : 0)) {
                Entry e = lane.entries.get(0);
                lane.remove(e);
                lane.acked = Math.max(lane.acked, e.id());
                lane.cursorDirty = true;
                bytes -= e.size();
                dropped++;
            }
        }
    }

    /** One priority's log: segment files {@code NNNNNNNNNN.log} and a {@code cursor} file. */
    private final class Lane {
        final Path dir;
        final int priority;
        final List<Entry> entries = new ArrayList<>();
        final ArrayDeque<Long> segments = new ArrayDeque<>();
        int cursorToSend;
        long acked;
        long countedExpired;
        boolean cursorDirty;
        FileChannel writer;
        long writerSegment = -1;

        Lane(Path dir, int priority) {
            this.dir = dir;
            this.priority = priority;
        }

        /** Loads what survived; truncates a torn last record. Returns the highest id seen. */
        long recover() throws IOException {
            Path cursor = dir.resolve("cursor");
            if (Files.exists(cursor)) {
                try {
                    acked = Long.parseLong(Files.readString(cursor, StandardCharsets.US_ASCII).trim());
                } catch (NumberFormatException e) {
                    throw new IOException("corrupt outbox cursor " + cursor, e);
                }
            }
            long maxId = acked;
            List<Long> found = new ArrayList<>();
            try (Stream<Path> files = Files.list(dir)) {
                files.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d{10}\\.log"))
                        .map(n -> Long.parseLong(n.substring(0, 10))).sorted().forEach(found::add);
            }
            for (long seg : found) {
                Path file = segmentFile(seg);
                boolean any = false;
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                    long pos = 0;
                    long size = ch.size();
                    ByteBuffer head = ByteBuffer.allocate(HEADER);
                    while (pos + HEADER <= size) {
                        head.clear();
                        ch.read(head, pos);
                        head.flip();
                        int len = head.getInt();
                        long crc = Integer.toUnsignedLong(head.getInt());
                        if (len <= 0 || pos + HEADER + len > size) {
                            break;
                        }
                        ByteBuffer body = ByteBuffer.allocate(len);
                        ch.read(body, pos + HEADER);
                        CRC32 c = new CRC32();
                        c.update(body.array());
                        if (c.getValue() != crc) {
                            break;
                        }
                        body.flip();
                        long id = body.getLong();
                        long created = body.getLong();
                        long expires = body.getLong();
                        byte[] topic = new byte[body.getShort() & 0xffff];
                        body.get(topic);
                        maxId = Math.max(maxId, id);
                        if (id > acked) {
                            entries.add(new Entry(id, priority, created, expires,
                                    new String(topic, StandardCharsets.UTF_8), seg, pos, HEADER + len));
                            bytes += HEADER + len;
                            any = true;
                        }
                        pos += HEADER + len;
                    }
                    if (pos < size) {
                        ch.truncate(pos); // a torn write from a crash: it was never acknowledged to anyone
                        ch.force(true);
                    }
                }
                if (any) {
                    segments.add(seg);
                } else {
                    Files.deleteIfExists(file);
                }
            }
            return maxId;
        }

        Entry write(long id, long created, long expires, String topic, byte[] payload) throws IOException {
            byte[] t = topic.getBytes(StandardCharsets.UTF_8);
            if (t.length > 0xffff) {
                throw new IllegalArgumentException("topic too long");
            }
            int len = 8 + 8 + 8 + 2 + t.length + 4 + payload.length;
            ByteBuffer buf = ByteBuffer.allocate(HEADER + len);
            buf.position(HEADER);
            buf.putLong(id).putLong(created).putLong(expires).putShort((short) t.length).put(t)
                    .putInt(payload.length).put(payload);
            CRC32 c = new CRC32();
            c.update(buf.array(), HEADER, len);
            buf.putInt(0, len).putInt(4, (int) c.getValue());
            buf.position(0);
            FileChannel ch = writer();
            long offset = ch.size();
            while (buf.hasRemaining()) {
                ch.write(buf, offset + buf.position());
            }
            ch.force(false);
            Entry e = new Entry(id, priority, created, expires, topic, writerSegment, offset, HEADER + len);
            entries.add(e);
            if (ch.size() >= SEGMENT_BYTES) {
                closeWriter();
            }
            return e;
        }

        byte[] read(Entry e) throws IOException {
            try (FileChannel ch = FileChannel.open(segmentFile(e.segment()), StandardOpenOption.READ)) {
                ByteBuffer buf = ByteBuffer.allocate(e.size() - HEADER);
                ch.read(buf, e.offset() + HEADER);
                buf.flip();
                buf.position(8 + 8 + 8);
                int topicLen = buf.getShort() & 0xffff;
                buf.position(buf.position() + topicLen);
                byte[] payload = new byte[buf.getInt()];
                buf.get(payload);
                return payload;
            }
        }

        void remove(Entry e) throws IOException {
            entries.remove(0);
            // delete segments that hold nothing pending any more
            long oldestPending = entries.isEmpty() ? Long.MAX_VALUE : entries.get(0).segment();
            Iterator<Long> it = segments.iterator();
            while (it.hasNext()) {
                long seg = it.next();
                if (seg < oldestPending && seg != writerSegment) {
                    writeCursor(); // the cursor must cover the segment before the segment goes
                    Files.deleteIfExists(segmentFile(seg));
                    it.remove();
                } else {
                    break;
                }
            }
        }

        void writeCursor() throws IOException {
            if (!cursorDirty) {
                return;
            }
            Path tmp = dir.resolve("cursor.tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(ByteBuffer.wrap(Long.toString(acked).getBytes(StandardCharsets.US_ASCII)));
                ch.force(true);
            }
            Files.move(tmp, dir.resolve("cursor"), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            cursorDirty = false;
        }

        private FileChannel writer() throws IOException {
            if (writer == null) {
                long seg = segments.isEmpty() ? 1 : segments.getLast() + 1;
                writer = FileChannel.open(segmentFile(seg), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                writerSegment = seg;
                segments.add(seg);
            }
            return writer;
        }

        void closeWriter() throws IOException {
            if (writer != null) {
                writer.close();
                writer = null;
                writerSegment = -1;
            }
        }

        private Path segmentFile(long seg) {
            return dir.resolve(String.format("%010d.log", seg));
        }
    }
}
