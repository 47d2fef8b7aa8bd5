package io.edgeshare.cache.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Answers for a stored item (validators, conditionals, a single range, safety headers, the download cap, the
 * bytes from memory or disk), written to an {@link Exchange}: the servlet and the fast route share this code.
 */
final class StoredResponder {

    /** Items whose headers are kept worked out; past this many the map starts again (a bound, not an LRU). */
    private static final int MAX_PREPARED = 512;

    private final ContentCache cache;
    private final ConcurrentHashMap<String, ItemHeaders> prepared = new ConcurrentHashMap<>();

    StoredResponder(ContentCache cache) {
        this.cache = cache;
    }

    /** The item's unchanging headers, worked out on its first request (again when its version changed). */
    private ItemHeaders headersOf(StoredItem item) {
        ItemHeaders h = prepared.get(item.id());
        if (h == null || !h.describes(item)) {
            if (prepared.size() >= MAX_PREPARED) {
                prepared.clear();
            }
            h = ItemHeaders.of(item);
            prepared.put(item.id(), h);
        }
        return h;
    }

    void serveStored(Exchange ex, String id, String cacheStatus, boolean stale) throws IOException,
            InterruptedException {
        Optional<StoredItem> touched = cache.store().touch(id);
        if (touched.isEmpty()) {
            ex.error(404, "not-found", "no item " + id + " in this gateway's cache");
            return;
        }
        StoredItem item = touched.get();
        if (!cache.settings().shares(item)) {
            ex.error(403, "not-shared", "the sharing policy does not share this item");
            return;
        }
        ItemHeaders h = headersOf(item);
        ex.headers(h.validators);
        ex.header("X-Cache", cacheStatus);
        if (stale) {
            ex.header("Warning", "110 - \"Response is Stale\"");
        }
        switch (HttpConditions.evaluate(ex.header("If-Match"), ex.header("If-Unmodified-Since"),
                ex.header("If-None-Match"), ex.header("If-Modified-Since"), h.etag, h.lastModified)) {
            case NOT_MODIFIED -> {
                ex.status(304);
                return;
            }
            case PRECONDITION_FAILED -> {
                ex.error(412, "precondition-failed", "the item does not match If-Match/If-Unmodified-Since");
                return;
            }
            case PROCEED -> {
                // serve below
            }
        }
        long size = item.size();
        String range = ex.header("Range");
        Span span = span(ex, range != null
                && HttpConditions.ifRangeHolds(ex.header("If-Range"), h.etag, h.lastModified) ? range : null, size);
        if (span == null) {
            return;
        }
        ex.headers(h.representation); // Content-Type and the ContentSafety headers
        ex.contentLength(span.length());
        if (ex.method().equals("HEAD")) {
            return;
        }
        if (!cache.tryStartDownload()) {
            ex.error(503, "busy", "too many downloads at once; try again shortly", "Retry-After", "5");
            return;
        }
        try {
            ByteBuffer inMemory = size <= HotItems.MAX_ITEM ? hotCopy(item) : null;
            if (inMemory != null) {
                sendFromMemory(ex, inMemory, (int) span.first(), (int) span.length());
                return;
            }
            Optional<DiskContentStore.Lease> opened = cache.store().open(id);
            if (opened.isEmpty()) {
                ex.error(404, "not-found", "no item " + id + " in this gateway's cache");
                return;
            }
            try (DiskContentStore.Lease lease = opened.get()) {
                send(ex, lease.channel(), null, span.first(), span.length());
            }
        } finally {
            cache.endDownload();
        }
    }

    /** The item's bytes from memory, loading them on first use; null if it cannot be read (evicted meanwhile). */
    private ByteBuffer hotCopy(StoredItem item) throws IOException {
        ByteBuffer b = cache.hot().get(item.sha256());
        if (b != null || cache.settings().memoryCacheBytes() == 0) {
            return b;
        }
        Optional<DiskContentStore.Lease> opened = cache.store().open(item.id());
        if (opened.isEmpty()) {
            return null;
        }
        try (DiskContentStore.Lease lease = opened.get()) {
            ByteBuffer loaded = ByteBuffer.allocateDirect((int) lease.item().size());
            while (loaded.hasRemaining()) {
                if (lease.channel().read(loaded, loaded.position()) < 0) {
                    throw new IOException("object of " + item.id() + " is shorter than its index entry");
                }
            }
            loaded.flip();
            if (!lease.item().sha256().equals(item.sha256())) {
                return null; // replaced by a new version between our look and the open
            }
            cache.hot().put(item.sha256(), loaded);
            return loaded.asReadOnlyBuffer();
        }
    }

    private void sendFromMemory(Exchange ex, ByteBuffer content, int first, int length)
            throws IOException, InterruptedException {
        content.position(first).limit(first + length);
        if (cache.limiter().rate() > 0) {
            while (content.hasRemaining()) {
                ByteBuffer slice = content.slice(content.position(), Math.min(64 * 1024, content.remaining()));
                cache.limiter().acquire(ex.client(), slice.remaining());
                int n = slice.remaining();
                ex.write(slice, n == content.remaining());
                content.position(content.position() + n);
                cache.counters().bytesServed.add(n);
            }
        } else {
            ex.writeLast(content);
            cache.counters().bytesServed.add(length);
        }
    }

    /**
     * Copies {@code length} bytes (or to the end when -1 and growing) from {@code channel} at {@code first},
     * through the shared {@link BufferPool}. A failure after the headers went out can only be signalled by
     * cutting the connection, which the container does when the exception propagates.
     */
    void send(Exchange ex, FileChannel channel, Flight growing, long first, long length) throws IOException,
            InterruptedException {
        long stallMs = cache.settings().stallTimeoutS() * 1000L;
        long pos = first;
        long end = length < 0 ? Long.MAX_VALUE : first + length;
        while (pos < end) {
            ByteBuffer buf = cache.buffers().take(stallMs);
            try {
                buf.limit((int) Math.min(buf.capacity(), end - pos));
                int n = growing == null ? channel.read(buf, pos) : growing.read(channel, buf, pos, stallMs);
                if (n < 0) {
                    if (length < 0) {
                        break;
                    }
                    throw new IOException("item ended at byte " + pos + " before " + end);
                }
                buf.flip();
                cache.limiter().acquire(ex.client(), n);
                pos += n;
                ex.write(buf, pos >= end);
                cache.counters().bytesServed.add(n);
            } finally {
                cache.buffers().give(buf);
            }
        }
    }

    /** The bytes to send: a single satisfiable range (206 and Content-Range set), or the whole item. */
    record Span(long first, long length) {
    }

    /**
     * Applies a {@code Range} header ({@code null}: none) to an item of {@code size} bytes. Answers 416 and
     * returns {@code null} when the range cannot be satisfied.
     */
    Span span(Exchange ex, String range, long size) throws IOException {
        if (range != null) {
            ByteRange.Outcome outcome = ByteRange.parse(range, size);
            if (outcome instanceof ByteRange.Unsatisfiable) {
                ex.error(416, "range-not-satisfiable", "the item has " + size + " bytes",
                        "Content-Range", "bytes */" + size);
                return null;
            }
            if (outcome instanceof ByteRange.Partial p) {
                ex.status(206);
                ex.header("Content-Range", p.range().contentRange(size));
                return new Span(p.range().first(), p.range().length());
            }
        }
        return new Span(0, size);
    }
}
