package io.edgeshare.uplink.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskOutboxTest {
    private static final long MiB = 1 << 20;

    static final class MutableClock extends Clock {
        long millis = 1_000_000;

        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }
    }

    private final MutableClock clock = new MutableClock();

    private static List<String> drain(DiskOutbox box) throws IOException {
        List<String> out = new ArrayList<>();
        DiskOutbox.Message m;
        while ((m = box.next().orElse(null)) != null) {
            out.add(new String(m.payload(), StandardCharsets.UTF_8));
            box.acknowledged(m.entry());
        }
        return out;
    }

    @Test
    void unacknowledgedMessagesSurviveAReopenInOrder(@TempDir Path dir) throws IOException {
        try (DiskOutbox box = new DiskOutbox(dir, MiB, 3_600_000, clock)) {
            for (int i = 0; i < 5; i++) {
                box.append("t", ("m" + i).getBytes(StandardCharsets.UTF_8), 1, 0);
            }
            DiskOutbox.Message first = box.next().orElseThrow();
            DiskOutbox.Message second = box.next().orElseThrow();
            box.acknowledged(first.entry());
            box.acknowledged(second.entry());
            box.next(); // m2 handed out but never acknowledged: the broker went away
        }
        try (DiskOutbox box = new DiskOutbox(dir, MiB, 3_600_000, clock)) {
            assertEquals(List.of("m2", "m3", "m4"), drain(box));
            long id = box.append("t", "m5".getBytes(StandardCharsets.UTF_8), 1, 0);
            assertEquals(6, id, "ids keep increasing across reopen");
        }
    }

    @Test
    void higherPriorityFirstAndRewindResends(@TempDir Path dir) throws IOException {
        try (DiskOutbox box = new DiskOutbox(dir, MiB, 3_600_000, clock)) {
            box.append("t", "low".getBytes(StandardCharsets.UTF_8), 2, 0);
            box.append("t", "normal".getBytes(StandardCharsets.UTF_8), 1, 0);
            box.append("t", "high".getBytes(StandardCharsets.UTF_8), 0, 0);
            assertEquals("high", new String(box.next().orElseThrow().payload(), StandardCharsets.UTF_8));
            box.rewind(); // disconnected before the acknowledgement
            assertEquals(List.of("high", "normal", "low"), drain(box));
            assertEquals(0, box.size());
        }
    }

    @Test
    void tornLastRecordIsDiscardedAndEverythingBeforeKept(@TempDir Path dir) throws IOException {
        try (DiskOutbox box = new DiskOutbox(dir, MiB, 3_600_000, clock)) {
            box.append("t", "a".getBytes(StandardCharsets.UTF_8), 1, 0);
            box.append("t", "b".getBytes(StandardCharsets.UTF_8), 1, 0);
        }
        Path segment;
        try (Stream<Path> files = Files.list(dir.resolve("p1"))) {
            segment = files.filter(p -> p.toString().endsWith(".log")).findFirst().orElseThrow();
        }
        // a crash in the middle of writing a third record: length says 200 bytes, only 5 made it
        Files.write(segment, new byte[] { 0, 0, 0, (byte) 200, 1, 2, 3, 4, 5 }, StandardOpenOption.APPEND);
        long before = Files.size(segment);
        try (DiskOutbox box = new DiskOutbox(dir, MiB, 3_600_000, clock)) {
            assertTrue(Files.size(segment) < before, "torn tail truncated");
            assertEquals(List.of("a", "b"), drain(box));
        }
    }

    @Test
    void sizeBoundEvictsOldestOfLowestPriorityFirst(@TempDir Path dir) throws IOException {
        byte[] kb = new byte[1000];
        try (DiskOutbox box = new DiskOutbox(dir, 10_500, 3_600_000, clock)) {
            box.append("t", "keep-high".getBytes(StandardCharsets.UTF_8), 0, 0);
            for (int i = 0; i < 20; i++) {
                box.append("t", kb, 2, 0);
            }
            assertTrue(box.bytes() <= 10_500, "bytes " + box.bytes());
            assertTrue(box.dropped() >= 10, "dropped " + box.dropped());
            assertEquals("keep-high", new String(box.next().orElseThrow().payload(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void expiredMessagesAreNotSent(@TempDir Path dir) throws IOException {
        try (DiskOutbox box = new DiskOutbox(dir, MiB, 60_000, clock)) {
            box.append("t", "short".getBytes(StandardCharsets.UTF_8), 1, 1_000);
            box.append("t", "long".getBytes(StandardCharsets.UTF_8), 1, 0);
            clock.millis += 2_000;
            assertEquals(List.of("long"), drain(box));
            assertEquals(1, box.expired());
            box.append("t", "old".getBytes(StandardCharsets.UTF_8), 1, 0);
            clock.millis += 61_000; // past the outbox's maximum age
            assertEquals(List.of(), drain(box));
        }
    }

    @Test
    void aMessageExpiredBehindOneInFlightIsNotSentEither(@TempDir Path dir) throws IOException {
        try (DiskOutbox box = new DiskOutbox(dir, MiB, 60_000, clock)) {
            box.append("t", "first".getBytes(StandardCharsets.UTF_8), 1, 0);
            box.append("t", "short".getBytes(StandardCharsets.UTF_8), 1, 1_000);
            box.append("t", "last".getBytes(StandardCharsets.UTF_8), 1, 0);
            DiskOutbox.Message first = box.next().orElseThrow(); // in flight
            clock.millis += 2_000;
            assertEquals("last", new String(box.next().orElseThrow().payload(), StandardCharsets.UTF_8));
            box.rewind(); // reconnect: "first" again, "short" still not
            assertEquals(List.of("first", "last"), drain(box));
            assertEquals(1, box.expired(), "counted once across the rewind");
            assertEquals(0, box.size());
            assertTrue(first.entry().id() > 0);
        }
    }

    @Test
    void acknowledgedSegmentsAreDeleted(@TempDir Path dir) throws IOException {
        byte[] big = new byte[300_000];
        try (DiskOutbox box = new DiskOutbox(dir, 64 * MiB, 3_600_000, clock)) {
            for (int i = 0; i < 10; i++) {
                box.append("t", big, 1, 0);
            }
            assertEquals(10, drain(box).size());
            box.sync();
            try (Stream<Path> files = Files.list(dir.resolve("p1"))) {
                assertTrue(files.filter(p -> p.toString().endsWith(".log")).count() <= 1);
            }
        }
        try (DiskOutbox box = new DiskOutbox(dir, 64 * MiB, 3_600_000, clock)) {
            assertEquals(0, box.size(), "nothing comes back after acknowledgement");
        }
    }
}
