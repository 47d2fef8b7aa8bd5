package io.edgeshare.cache.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Content on disk, addressed by SHA-256: {@code objects/ab/abcdef...} holds each distinct content once,
 * {@code index} maps item ids to content and metadata, {@code tmp/} holds admissions in progress.
 * <p>
 * An admission writes to {@code tmp/}, forces the file, verifies it, renames it into {@code objects/} and
 * only then rewrites the index (see {@link IndexFile}). Opening the store discards whatever a crash left
 * behind: partial files in {@code tmp/}, objects the index does not name, index entries whose object is
 * missing or has the wrong size. The quota is enforced while bytes arrive, by evicting least recently
 * served items that are neither pinned, protected by the policy, nor being served.
 */
final class DiskContentStore implements AutoCloseable {

    static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");
    private static final Logger LOG = LoggerFactory.getLogger(DiskContentStore.class);
    private static final long SPACE_CHECK_EVERY = 4L << 20;

    /** What an admission knows about the item besides its bytes. */
    record Metadata(String title, String mediaType, String category, String originUrl, String etag,
            String lastModified, Instant freshUntil, boolean pinned) {
    }

    /** Store figures for status and telemetry. */
    record Stats(int items, long usedBytes, long reservedBytes, long quotaBytes, long evictions,
            String admissionStopped) {
    }

    private final Path root;
    private final Path objects;
    private final Path tmp;
    private final IndexFile index;
    private final Clock clock;
    private final FileStore fileStore;

    private final Map<String, StoredItem> items = new HashMap<>();
    private final Map<String, Integer> blobRefs = new HashMap<>();
    private final Map<String, Integer> leases = new HashMap<>();
    private Set<String> protectedIds = Set.of();
    private long used;
    private long reserved;
    private long quota;
    private long minFree;
    private long evictions;
    private long sinceSpaceCheck;
    private boolean dirty;
    private volatile long revision = 1;
    private volatile String admissionStopped;
    private boolean closed;

    DiskContentStore(Path root, long quotaBytes, long minFreeBytes, Clock clock) throws IOException {
        this.root = root;
        this.objects = root.resolve("objects");
        this.tmp = root.resolve("tmp");
        this.index = new IndexFile(root);
        this.clock = clock;
        this.quota = quotaBytes;
        this.minFree = minFreeBytes;
        Files.createDirectories(objects);
        Files.createDirectories(tmp);
        this.fileStore = Files.getFileStore(root);
        recover();
    }

    // ---------------------------------------------------------------- recovery

    private synchronized void recover() throws IOException {
        int partial = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(tmp)) {
            for (Path p : ds) {
                Files.deleteIfExists(p);
                partial++;
            }
        }
        List<StoredItem> loaded;
        boolean rewrite = false;
        try {
            loaded = index.read();
        } catch (IOException e) {
            Path quarantine = root.resolve("index.damaged-" + clock.millis());
            Files.move(index.path(), quarantine, StandardCopyOption.REPLACE_EXISTING);
            LOG.error("Cache index at {} unreadable ({}); moved to {} and starting empty", index.path(),
                    e.getMessage(), quarantine);
            loaded = List.of();
            rewrite = true;
        }
        int dropped = 0;
        for (StoredItem item : loaded) {
            Path blob = blobPath(item.sha256());
            boolean ok = ID.matcher(item.id()).matches() && Hex.isSha256(item.sha256()) && Files.isRegularFile(blob)
                    && Files.size(blob) == item.size() && !items.containsKey(item.id());
            if (ok) {
                items.put(item.id(), item);
                if (blobRefs.merge(item.sha256(), 1, Integer::sum) == 1) {
                    used += item.size();
                }
            } else {
                LOG.warn("Cache item {} dropped at start: its content is missing or damaged", item.id());
                dropped++;
                rewrite = true;
            }
        }
        int orphans = 0;
        try (Stream<Path> walk = Files.walk(objects)) {
            for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
                if (!blobRefs.containsKey(p.getFileName().toString())) {
                    Files.deleteIfExists(p);
                    orphans++;
                }
            }
        }
        if (rewrite) {
            index.write(items.values());
        }
        LOG.info("Cache store {} opened: {} items, {} bytes; discarded {} partial admissions, {} orphan objects, "
                + "{} damaged entries", root, items.size(), used, partial, orphans, dropped);
        if (used > quota) {
            evictLocked(0);
        }
    }

    // ---------------------------------------------------------------- reading

    synchronized Optional<StoredItem> get(String id) {
        return Optional.ofNullable(items.get(id));
    }

    synchronized List<StoredItem> items() {
        return new ArrayList<>(items.values());
    }

    long revision() {
        return revision;
    }

    /** Marks an item as served now (LRU) without opening it: for items served from memory. */
    synchronized Optional<StoredItem> touch(String id) {
        StoredItem item = items.get(id);
        if (item == null) {
            return Optional.empty();
        }
        StoredItem touched = item.withLastAccess(clock.instant());
        items.put(id, touched);
        dirty = true;
        return Optional.of(touched);
    }

    /** Opens an item for serving; while the lease is open the item is never evicted. */
    synchronized Optional<Lease> open(String id) throws IOException {
        StoredItem item = items.get(id);
        if (item == null) {
            return Optional.empty();
        }
        FileChannel channel;
        try {
            channel = FileChannel.open(blobPath(item.sha256()), StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            LOG.error("Cache object of item {} vanished from {}; dropping the item", id, root);
            removeLocked(id);
            persistLocked();
            return Optional.empty();
        }
        StoredItem touched = item.withLastAccess(clock.instant());
        items.put(id, touched);
        dirty = true;
        leases.merge(id, 1, Integer::sum);
        return Optional.of(new Lease(touched, channel));
    }

    /** An item opened for serving. */
    final class Lease implements AutoCloseable {
        private final StoredItem item;
        private final FileChannel channel;
        private boolean released;

        Lease(StoredItem item, FileChannel channel) {
            this.item = item;
            this.channel = channel;
        }

        StoredItem item() {
            return item;
        }

        FileChannel channel() {
            return channel;
        }

        @Override
        public void close() {
            synchronized (DiskContentStore.this) {
                if (released) {
                    return;
                }
                released = true;
                leases.computeIfPresent(item.id(), (k, v) -> v == 1 ? null : v - 1);
            }
            try {
                channel.close();
            } catch (IOException e) {
                LOG.debug("closing {}", item.id(), e);
            }
        }
    }

    synchronized Stats stats() {
        return new Stats(items.size(), used, reserved, quota, evictions, admissionStopped);
    }

    String admissionStopped() {
        return admissionStopped;
    }

    // ---------------------------------------------------------------- changing

    synchronized void setLimits(long quotaBytes, long minFreeBytes) {
        this.quota = quotaBytes;
        this.minFree = minFreeBytes;
        if (used + reserved > quota) {
            try {
                evictLocked(0);
            } catch (StoreException e) {
                LOG.warn("Cache is above its new quota of {} bytes and cannot evict more: {}", quota, e.getMessage());
            }
        }
    }

    /** Ids the policy wants kept (its prefetch list): never evicted. */
    synchronized void setProtected(Set<String> ids) {
        this.protectedIds = Set.copyOf(ids);
    }

    synchronized boolean pin(String id, boolean pinned) throws IOException {
        StoredItem item = items.get(id);
        if (item == null) {
            return false;
        }
        if (item.pinned() != pinned) {
            items.put(id, item.withPinned(pinned));
            persistLocked();
        }
        return true;
    }

    synchronized boolean remove(String id) throws IOException {
        if (!items.containsKey(id)) {
            return false;
        }
        removeLocked(id);
        persistLocked();
        return true;
    }

    /** The origin confirmed the stored copy (304): new validators and freshness. */
    synchronized void revalidated(String id, String etag, String lastModified, Instant freshUntil) throws IOException {
        StoredItem item = items.get(id);
        if (item != null) {
            items.put(id, item.withValidators(etag, lastModified, freshUntil));
            persistLocked();
        }
    }

    /** Persists last-access times if they changed; called periodically and at close. */
    synchronized void flush() throws IOException {
        if (dirty && !closed) {
            persistLocked();
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (!closed) {
            flush();
            closed = true;
        }
    }

    // ---------------------------------------------------------------- admission

    /**
     * Starts writing a new item; {@code expectedSize} (or -1) is reserved against the quota at once. A null
     * {@code id} means content-addressed: the id becomes the first 32 hex digits of the content's SHA-256.
     */
    Admission begin(String id, long expectedSize) throws IOException {
        if (id != null && !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("bad item id: " + id);
        }
        checkAdmissionAllowed();
        Path temp = Files.createTempFile(tmp, "adm-", ".part");
        Admission admission = new Admission(id, temp);
        if (expectedSize > 0) {
            try {
                reserve(admission, expectedSize);
            } catch (IOException | RuntimeException e) {
                admission.close();
                throw e;
            }
            admission.prepaid = expectedSize;
        }
        return admission;
    }

    private void checkAdmissionAllowed() throws StoreException {
        synchronized (this) {
            if (closed) {
                throw new StoreException("closed", "cache store is closed");
            }
        }
        if (admissionStopped != null) {
            long usable = usableSpace();
            if (usable >= minFree) {
                LOG.info("Cache admission resumed in {}: {} bytes free again", root, usable);
                admissionStopped = null;
            } else {
                throw new StoreException("disk-full", "admission stopped: " + admissionStopped);
            }
        }
    }

    private long usableSpace() {
        try {
            return fileStore.getUsableSpace();
        } catch (IOException e) {
            return Long.MAX_VALUE;
        }
    }

    private void stopAdmission(String why) {
        if (admissionStopped == null) {
            LOG.error("Cache admission STOPPED in {}: {}. Serving continues; admission resumes when space frees up",
                    root, why);
        }
        admissionStopped = why;
    }

    private synchronized void reserve(Admission a, long n) throws IOException {
        sinceSpaceCheck += n;
        if (sinceSpaceCheck >= SPACE_CHECK_EVERY || n >= SPACE_CHECK_EVERY) {
            sinceSpaceCheck = 0;
            long usable = usableSpace();
            if (usable - n < minFree) {
                stopAdmission("disk full (" + usable + " bytes free, " + minFree + " must stay free)");
                throw new StoreException("disk-full", "disk full: admission stopped");
            }
        }
        evictLocked(n);
        reserved += n;
        a.reserved += n;
    }

    /** Evicts least recently served items until {@code needed} more bytes fit in the quota. */
    private void evictLocked(long needed) throws StoreException {
        if (used + reserved + needed <= quota) {
            return;
        }
        List<StoredItem> candidates = new ArrayList<>();
        for (StoredItem i : items.values()) {
            if (!i.pinned() && !protectedIds.contains(i.id()) && !leases.containsKey(i.id())) {
                candidates.add(i);
            }
        }
        // never evict for an admission that cannot fit even after evicting everything evictable
        long evictable = 0;
        Set<String> counted = new HashSet<>();
        for (StoredItem c : candidates) {
            if (blobRefs.getOrDefault(c.sha256(), 0) == 1 && counted.add(c.sha256())) {
                evictable += c.size();
            }
        }
        if (used + reserved + needed - evictable > quota) {
            throw new StoreException("quota-full", "quota of " + quota + " bytes cannot take " + needed
                    + " more bytes even after evicting every unpinned, unprotected item not being served");
        }
        candidates.sort(Comparator.comparing(StoredItem::lastAccess));
        boolean changed = false;
        try {
            for (StoredItem victim : candidates) {
                if (used + reserved + needed <= quota) {
                    break;
                }
                removeLocked(victim.id());
                evictions++;
                changed = true;
                LOG.info("Cache evicted {} ({} bytes, last served {})", victim.id(), victim.size(), victim.lastAccess());
            }
        } finally {
            if (changed) {
                try {
                    persistLocked();
                } catch (IOException e) {
                    LOG.error("Cache index write failed after eviction", e);
                }
            }
        }
        if (used + reserved + needed > quota) {
            throw new StoreException("quota-full", "quota of " + quota + " bytes is full of pinned or in-use items; "
                    + needed + " more bytes do not fit");
        }
    }

    private void removeLocked(String id) {
        StoredItem item = items.remove(id);
        if (item != null) {
            revision++;
            unrefLocked(item);
        }
    }

    private void unrefLocked(StoredItem item) {
        Integer left = blobRefs.computeIfPresent(item.sha256(), (k, v) -> v == 1 ? null : v - 1);
        if (left == null) {
            used -= item.size();
            try {
                // a reader that still has the file open keeps its bytes (POSIX unlink semantics)
                Files.deleteIfExists(blobPath(item.sha256()));
            } catch (IOException e) {
                LOG.warn("Cache could not delete object {}", item.sha256(), e);
            }
        }
    }

    private void persistLocked() throws IOException {
        index.write(items.values());
        dirty = false;
    }

    private Path blobPath(String sha) {
        return objects.resolve(sha.substring(0, 2)).resolve(sha);
    }

    private synchronized void release(Admission a) {
        reserved -= a.reserved;
        a.reserved = 0;
    }

    /**
     * One item being written. Bytes are reserved against the quota as they arrive; {@link #commit} verifies,
     * forces and publishes; {@link #close} without a commit discards everything.
     */
    final class Admission implements AutoCloseable {
        private final String id;
        private final Path temp;
        private final FileChannel out;
        private MessageDigest digest = Hex.sha256();
        private long written;
        private long reserved;
        private long prepaid;
        private boolean finished;

        private Admission(String id, Path temp) throws IOException {
            this.id = id;
            this.temp = temp;
            this.out = FileChannel.open(temp, StandardOpenOption.WRITE);
        }

        String id() {
            return id;
        }

        /** The partial file; readers may open it to serve a growing item (it stays valid after the rename). */
        Path tempFile() {
            return temp;
        }

        long written() {
            return written;
        }

        /** Writes all of {@code src}. */
        void write(ByteBuffer src) throws IOException {
            int n = src.remaining();
            if (written + n > prepaid) {
                reserve(this, written + n - Math.max(prepaid, written));
            }
            digest.update(src.duplicate());
            try {
                while (src.hasRemaining()) {
                    out.write(src);
                }
            } catch (IOException e) {
                if (String.valueOf(e.getMessage()).contains("No space left")) {
                    stopAdmission("disk full (write failed: " + e.getMessage() + ")");
                    throw new StoreException("disk-full", "disk full: admission stopped", e);
                }
                throw e;
            }
            written += n;
        }

        /** Discards what was written so far (a peer that cannot resume: start over). */
        void restart() throws IOException {
            out.truncate(0);
            out.position(0);
            digest = Hex.sha256();
            written = 0;
        }

        /**
         * Verifies, forces and publishes the item. {@code expectedSha}/{@code expectedSize} (null/-1 when unknown)
         * must match or nothing is admitted.
         */
        StoredItem commit(Metadata meta, String expectedSha, long expectedSize) throws IOException {
            if (finished) {
                throw new IllegalStateException("admission already finished: " + id);
            }
            try {
                String sha = Hex.hex(digest.digest());
                String id = this.id != null ? this.id : sha.substring(0, 32);
                if (expectedSize >= 0 && expectedSize != written) {
                    throw new StoreException("verification-failed",
                            "size " + written + " differs from the expected " + expectedSize);
                }
                if (expectedSha != null && !expectedSha.equals(sha)) {
                    throw new StoreException("verification-failed",
                            "SHA-256 " + sha + " differs from the expected " + expectedSha);
                }
                out.force(true);
                out.close();
                Instant now = clock.instant();
                StoredItem item = new StoredItem(id, sha, written, meta.title(), meta.mediaType(), meta.category(),
                        now, meta.originUrl(), meta.etag(), meta.lastModified(),
                        meta.freshUntil() == null ? now : meta.freshUntil(), meta.pinned(), now);
                synchronized (DiskContentStore.this) {
                    if (closed) {
                        throw new StoreException("closed", "cache store is closed");
                    }
                    Path blob = blobPath(sha);
                    if (blobRefs.containsKey(sha)) {
                        Files.delete(temp);
                    } else {
                        Files.createDirectories(blob.getParent());
                        Files.move(temp, blob, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                        IndexFile.forceDirectory(blob.getParent());
                        used += written;
                    }
                    DiskContentStore.this.reserved -= this.reserved;
                    this.reserved = 0;
                    blobRefs.merge(sha, 1, Integer::sum);
                    StoredItem old = items.put(id, item);
                    if (old != null) {
                        unrefLocked(old);
                    }
                    revision++;
                    finished = true;
                    persistLocked();
                }
                return item;
            } finally {
                if (!finished) {
                    close();
                }
            }
        }

        @Override
        public void close() {
            if (finished) {
                return;
            }
            finished = true;
            try {
                out.close();
                Files.deleteIfExists(temp);
            } catch (IOException e) {
                LOG.warn("Cache could not discard partial admission {}", temp, e);
            }
            release(this);
        }
    }

    /** For tests and status: ids whose content is being served right now. */
    synchronized Set<String> leasedIds() {
        return new HashSet<>(leases.keySet());
    }
}
