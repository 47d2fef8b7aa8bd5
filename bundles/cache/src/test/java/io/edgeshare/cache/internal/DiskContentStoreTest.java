package io.edgeshare.cache.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskContentStoreTest {

    @TempDir
    Path dir;

    /** A clock tests move by hand, so LRU order is deterministic. */
    static final class ManualClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }

        void tick() {
            now = now.plusSeconds(1);
        }
    }

    final ManualClock clock = new ManualClock();

    static DiskContentStore.Metadata meta(String title) {
        return new DiskContentStore.Metadata(title, "video/mp4", null, null, null, null, null, false);
    }

    static StoredItem admit(DiskContentStore store, String id, byte[] content) throws IOException {
        try (DiskContentStore.Admission a = store.begin(id, -1)) {
            a.write(ByteBuffer.wrap(content));
            return a.commit(meta(id), null, -1);
        }
    }

    static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }

    static String sha(byte[] b) {
        return Hex.hex(Hex.sha256().digest(b));
    }

    private List<Path> files(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void admitsAndServesByIdWithContentAddressedObject() throws IOException {
        byte[] content = "hello edge".getBytes(StandardCharsets.UTF_8);
        try (DiskContentStore store = new DiskContentStore(dir, 1 << 20, 0, clock)) {
            StoredItem item = admit(store, "a1", content);
            assertEquals(sha(content), item.sha256());
            assertEquals(content.length, item.size());
            assertEquals("video", item.category());
            Path object = dir.resolve("objects").resolve(item.sha256().substring(0, 2)).resolve(item.sha256());
            assertTrue(Files.isRegularFile(object));
            try (DiskContentStore.Lease lease = store.open("a1").orElseThrow()) {
                ByteBuffer buf = ByteBuffer.allocate(100);
                lease.channel().read(buf, 0);
                assertEquals("hello edge", new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8));
            }
            assertTrue(store.open("nope").isEmpty());
            assertEquals(List.of(), files(dir.resolve("tmp")));
        }
    }

    @Test
    void contentAddressedIdAndDeduplication() throws IOException {
        byte[] content = bytes(5000, 1);
        try (DiskContentStore store = new DiskContentStore(dir, 1 << 20, 0, clock)) {
            StoredItem a = admit(store, null, content);
            assertEquals(sha(content).substring(0, 32), a.id());
            admit(store, "second", content);
            assertEquals(2, store.items().size());
            assertEquals(5000, store.stats().usedBytes(), "one object for two ids");
            assertEquals(1, files(dir.resolve("objects")).size());
            store.remove("second");
            assertEquals(1, files(dir.resolve("objects")).size(), "object still referenced");
            store.remove(a.id());
            assertEquals(0, files(dir.resolve("objects")).size());
            assertEquals(0, store.stats().usedBytes());
        }
    }

    @Test
    void verificationFailureAdmitsNothing() throws IOException {
        byte[] content = bytes(1000, 2);
        try (DiskContentStore store = new DiskContentStore(dir, 1 << 20, 0, clock)) {
            try (DiskContentStore.Admission a = store.begin("x", 1000)) {
                a.write(ByteBuffer.wrap(content));
                StoreException e = assertThrows(StoreException.class, () -> a.commit(meta("x"), "0".repeat(64), 1000));
                assertEquals("verification-failed", e.reason());
            }
            try (DiskContentStore.Admission a = store.begin("y", 2000)) {
                a.write(ByteBuffer.wrap(content));
                assertThrows(StoreException.class, () -> a.commit(meta("y"), sha(content), 2000), "truncated");
            }
            assertTrue(store.items().isEmpty());
            assertEquals(List.of(), files(dir.resolve("tmp")));
            assertEquals(List.of(), files(dir.resolve("objects")));
            assertEquals(0, store.stats().reservedBytes());
        }
    }

    @Test
    void abandonedAdmissionReleasesReservationAndFile() throws IOException {
        try (DiskContentStore store = new DiskContentStore(dir, 10_000, 0, clock)) {
            DiskContentStore.Admission a = store.begin("x", 8000);
            a.write(ByteBuffer.wrap(bytes(3000, 3)));
            assertEquals(8000, store.stats().reservedBytes());
            a.close();
            assertEquals(0, store.stats().reservedBytes());
            assertEquals(List.of(), files(dir.resolve("tmp")));
        }
    }

    @Test
    void evictsLeastRecentlyServedFirst() throws IOException {
        try (DiskContentStore store = new DiskContentStore(dir, 3000, 0, clock)) {
            admit(store, "old", bytes(1000, 1));
            clock.tick();
            admit(store, "mid", bytes(1000, 2));
            clock.tick();
            admit(store, "new", bytes(1000, 3));
            clock.tick();
            store.open("old").orElseThrow().close(); // served recently: now "mid" is least recent
            clock.tick();
            admit(store, "more", bytes(1000, 4));
            assertEquals(Set.of("old", "new", "more"), ids(store));
            assertEquals(1, store.stats().evictions());
            assertTrue(store.stats().usedBytes() <= 3000);
        }
    }

    @Test
    void pinnedProtectedAndServedItemsAreNeverEvicted() throws IOException {
        try (DiskContentStore store = new DiskContentStore(dir, 3000, 0, clock)) {
            admit(store, "pinned", bytes(1000, 1));
            clock.tick();
            admit(store, "policy", bytes(1000, 2));
            clock.tick();
            admit(store, "served", bytes(1000, 3));
            store.pin("pinned", true);
            store.setProtected(Set.of("policy"));
            try (DiskContentStore.Lease lease = store.open("served").orElseThrow()) {
                StoreException e = assertThrows(StoreException.class, () -> admit(store, "extra", bytes(500, 4)));
                assertEquals("quota-full", e.reason());
                assertEquals(Set.of("pinned", "policy", "served"), ids(store));
                assertEquals(List.of(), files(dir.resolve("tmp")));
            }
            admit(store, "extra", bytes(500, 4)); // the lease is gone: "served" may go now
            assertEquals(Set.of("pinned", "policy", "extra"), ids(store));
        }
    }

    @Test
    void anItemThatCannotFitEvictsNothing() throws IOException {
        try (DiskContentStore store = new DiskContentStore(dir, 3000, 0, clock)) {
            admit(store, "pinned", bytes(1000, 1));
            store.pin("pinned", true);
            admit(store, "a", bytes(1000, 2));
            admit(store, "b", bytes(500, 3));
            StoreException e = assertThrows(StoreException.class, () -> store.begin("huge", 2600));
            assertEquals("quota-full", e.reason());
            assertEquals(Set.of("pinned", "a", "b"), ids(store), "nothing was evicted in vain");
            assertEquals(0, store.stats().evictions());
            store.begin("fits", 2000).close(); // 1000 pinned + 2000 fits once a and b go
        }
    }

    @Test
    void shrinkingTheQuotaEvictsAtOnce() throws IOException {
        try (DiskContentStore store = new DiskContentStore(dir, 10_000, 0, clock)) {
            for (int i = 0; i < 5; i++) {
                admit(store, "i" + i, bytes(1000, i));
                clock.tick();
            }
            store.setLimits(2500, 0);
            assertEquals(Set.of("i3", "i4"), ids(store));
        }
    }

    @Test
    void admissionStopsWhenFreeSpaceIsBelowTheMinimumAndServingContinues() throws IOException {
        try (DiskContentStore store = new DiskContentStore(dir, Long.MAX_VALUE / 4, 0, clock)) {
            admit(store, "before", bytes(100, 1));
            store.setLimits(Long.MAX_VALUE / 4, Long.MAX_VALUE / 4); // "keep more free than any disk has"
            StoreException e = assertThrows(StoreException.class, () -> {
                try (DiskContentStore.Admission a = store.begin("big", 8L << 20)) {
                    a.write(ByteBuffer.wrap(bytes(10, 1)));
                }
            });
            assertEquals("disk-full", e.reason());
            assertTrue(store.admissionStopped() != null);
            assertThrows(StoreException.class, () -> store.begin("next", -1), "stays stopped while the disk is full");
            store.open("before").orElseThrow().close(); // serving continues
            store.setLimits(Long.MAX_VALUE / 4, 0);
            admit(store, "after", bytes(100, 2)); // space is back: admission resumes
            assertEquals(null, store.admissionStopped());
        }
    }

    @Test
    void indexSurvivesReopenWithPinsAndValidators() throws IOException {
        try (DiskContentStore store = new DiskContentStore(dir, 1 << 20, 0, clock)) {
            try (DiskContentStore.Admission a = store.begin("o", -1)) {
                a.write(ByteBuffer.wrap(bytes(10, 1)));
                a.commit(new DiskContentStore.Metadata("Tab\there\nnewline", "audio/mpeg", null, "http://o/x.mp3",
                        "\"e1\"", "Thu, 01 Jan 2026 00:00:00 GMT", clock.instant().plusSeconds(60), false), null, 10);
            }
            store.pin("o", true);
        }
        try (DiskContentStore store = new DiskContentStore(dir, 1 << 20, 0, clock)) {
            StoredItem o = store.get("o").orElseThrow();
            assertEquals("Tab\there\nnewline", o.title());
            assertEquals("audio", o.category());
            assertEquals("http://o/x.mp3", o.originUrl());
            assertEquals("\"e1\"", o.etag());
            assertTrue(o.pinned());
            assertTrue(o.freshAt(clock.instant()));
        }
    }

    @Test
    void recoveryDiscardsPartialsOrphansAndDamagedEntries() throws IOException {
        String keptSha;
        String brokenSha;
        try (DiskContentStore store = new DiskContentStore(dir, 1 << 20, 0, clock)) {
            keptSha = admit(store, "kept", bytes(100, 1)).sha256();
            brokenSha = admit(store, "broken", bytes(200, 2)).sha256();
            admit(store, "gone", bytes(300, 3));
        }
        // what a crash can leave: a partial admission, an object the index never got, a damaged object
        Files.write(dir.resolve("tmp").resolve("adm-1.part"), bytes(50, 9));
        Path orphan = dir.resolve("objects").resolve("ab").resolve("ab" + "0".repeat(62));
        Files.createDirectories(orphan.getParent());
        Files.write(orphan, bytes(10, 1));
        Path broken = dir.resolve("objects").resolve(brokenSha.substring(0, 2)).resolve(brokenSha);
        Files.write(broken, bytes(150, 2)); // truncated
        String goneSha = sha(bytes(300, 3));
        Files.delete(dir.resolve("objects").resolve(goneSha.substring(0, 2)).resolve(goneSha));
        Files.write(dir.resolve("index.tmp"), "half an index".getBytes(StandardCharsets.UTF_8));

        try (DiskContentStore store = new DiskContentStore(dir, 1 << 20, 0, clock)) {
            assertEquals(Set.of("kept"), ids(store));
            assertEquals(100, store.stats().usedBytes());
            assertEquals(List.of(), files(dir.resolve("tmp")));
            assertEquals(List.of(dir.resolve("objects").resolve(keptSha.substring(0, 2)).resolve(keptSha)),
                    files(dir.resolve("objects")));
            assertFalse(Files.exists(dir.resolve("index.tmp")));
        }
        try (DiskContentStore store = new DiskContentStore(dir, 1 << 20, 0, clock)) {
            assertEquals(Set.of("kept"), ids(store), "the repaired index was written back");
        }
    }

    @Test
    void damagedIndexIsQuarantinedNotTrusted() throws IOException {
        try (DiskContentStore store = new DiskContentStore(dir, 1 << 20, 0, clock)) {
            admit(store, "a", bytes(100, 1));
            admit(store, "b", bytes(100, 2));
        }
        List<String> lines = Files.readAllLines(dir.resolve("index"));
        Files.write(dir.resolve("index"), lines.subList(0, lines.size() - 1)); // lose the trailer
        try (DiskContentStore store = new DiskContentStore(dir, 1 << 20, 0, clock)) {
            assertTrue(store.items().isEmpty());
            assertEquals(List.of(), files(dir.resolve("objects")), "unindexed objects are discarded");
            try (Stream<Path> s = Files.list(dir)) {
                assertTrue(s.anyMatch(p -> p.getFileName().toString().startsWith("index.damaged-")));
            }
        }
    }

    @Test
    void replacingAnItemFreesTheOldContent() throws IOException {
        try (DiskContentStore store = new DiskContentStore(dir, 1 << 20, 0, clock)) {
            admit(store, "v", bytes(100, 1));
            long rev = store.revision();
            admit(store, "v", bytes(300, 2));
            assertTrue(store.revision() > rev);
            assertEquals(300, store.stats().usedBytes());
            assertEquals(1, files(dir.resolve("objects")).size());
        }
    }

    private static Set<String> ids(DiskContentStore store) {
        return Set.copyOf(store.items().stream().map(StoredItem::id).toList());
    }
}
