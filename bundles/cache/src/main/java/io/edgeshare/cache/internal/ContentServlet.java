package io.edgeshare.cache.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jakarta.servlet.Servlet;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code GET|HEAD /content/{id}}: a stored item, with single ranges and conditional requests.
 * {@code GET|HEAD /content/fetch?url=...}: the item of an allowed origin URL, fetched once however many
 * clients ask, served from the growing file while it arrives. Ids only: no request path reaches the disk.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/content/*")
@HttpWhiteboardServletName("edgeshare-cache-content")
public final class ContentServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ContentServlet.class);
    private static final Pattern ID_PATH = Pattern.compile("/[A-Za-z0-9_-]{1,128}");
    private static final int BUFFER = 256 * 1024;

    private final transient ContentCache cache;
    private final transient Replies replies = new Replies();
    /** Direct buffers reused across requests: file bytes go kernel to buffer to socket, never via the heap. */
    private final transient BlockingQueue<ByteBuffer> buffers = new ArrayBlockingQueue<>(32);

    @Activate
    public ContentServlet(@Reference ContentCache cache) {
        this.cache = cache;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String method = req.getMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            replies.error(resp, 405, "method-not-allowed", "content is read with GET or HEAD", "Allow", "GET, HEAD");
            return;
        }
        String path = req.getPathInfo();
        try {
            if ("/fetch".equals(path)) {
                fetchThrough(req, resp);
            } else if (path != null && ID_PATH.matcher(path).matches()) {
                byId(req, resp, path.substring(1));
            } else {
                replies.error(resp, 400, "bad-id", "content is addressed as /content/{id}; ids are 1-128 of "
                        + "A-Z a-z 0-9 _ -");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            replies.error(resp, 503, "shutting-down", "interrupted");
        } catch (IOException e) {
            // the client went away, or the item failed mid-transfer
            if (!resp.isCommitted()) {
                LOG.warn("Content transfer to {} of {} failed: {}", req.getRemoteAddr(), LogText.clean(path),
                        LogText.clean(e.toString()));
                replies.error(resp, 502, "transfer-failed", "the item could not be sent");
                return;
            }
            // headers are out: the body is short, and cutting the connection (the container does it when the
            // exception propagates) is the only signal left. The http-hygiene preprocessor logs a hang-up as
            // one WARN line, so this stays at debug.
            LOG.debug("Content transfer to {} of {} ended early: {}", req.getRemoteAddr(), LogText.clean(path),
                    LogText.clean(e.toString()));
            throw e;
        }
    }

    private void byId(HttpServletRequest req, HttpServletResponse resp, String id) throws IOException,
            InterruptedException {
        cache.counters().requests.increment();
        Optional<StoredItem> item = cache.store().get(id);
        if (item.isPresent()) {
            cache.counters().hits.increment();
            cache.revalidateInBackground(item.get());
            serveStored(req, resp, id, "HIT", false);
            return;
        }
        Optional<Flight> flight = cache.fetcher().inFlight(id);
        if (flight.isPresent()) {
            cache.counters().coalesced.increment();
            follow(req, resp, flight.get(), "COALESCED");
            return;
        }
        if (cache.settings().peerFetch() && cache.nearby().stream().anyMatch(p -> p.contentIds().contains(id))) {
            // a nearby sharer has it (claims A4/A7): take a verified copy from there, then serve it
            boolean[] leader = new boolean[1];
            Flight started = cache.fetcher().acquire(new ContentFetcher.Request(id, null, null, null, false, null),
                    leader);
            (leader[0] ? cache.counters().misses : cache.counters().coalesced).increment();
            follow(req, resp, started, leader[0] ? "MISS" : "COALESCED");
            return;
        }
        replies.error(resp, 404, "not-found", "no item " + id + " in this gateway's cache");
    }

    private void fetchThrough(HttpServletRequest req, HttpServletResponse resp) throws IOException,
            InterruptedException {
        cache.counters().requests.increment();
        String raw = QueryString.parse(req.getQueryString()).get("url");
        if (raw == null || raw.isBlank()) {
            replies.error(resp, 400, "missing-url", "give the origin URL as ?url=");
            return;
        }
        String url;
        try {
            url = ContentFetcher.checkOriginUrl(raw, cache.settings().originAllowedPrefixes());
        } catch (SecurityException e) {
            replies.error(resp, 403, "origin-not-allowed", e.getMessage());
            return;
        } catch (IllegalArgumentException e) {
            replies.error(resp, 400, "bad-url", e.getMessage());
            return;
        }
        String id = ContentFetcher.idForUrl(url);
        Optional<StoredItem> item = cache.store().get(id);
        if (item.isPresent() && item.get().freshAt(cache.now())) {
            cache.counters().hits.increment();
            serveStored(req, resp, id, "HIT", false);
            return;
        }
        if (item.isPresent() && cache.fetcher().backingOff(id)) {
            // the origin failed moments ago: serve the stale copy without asking it again
            cache.counters().hits.increment();
            cache.counters().staleServed.increment();
            serveStored(req, resp, id, "STALE", true);
            return;
        }
        boolean[] leader = new boolean[1];
        Flight flight = cache.fetcher().acquire(new ContentFetcher.Request(id, url, null, null, false, null), leader);
        if (leader[0]) {
            cache.counters().misses.increment();
        } else {
            cache.counters().coalesced.increment();
        }
        follow(req, resp, flight, leader[0] ? "MISS" : "COALESCED");
    }

    /** Waits for a flight to start, then serves what it yields. */
    private void follow(HttpServletRequest req, HttpServletResponse resp, Flight flight, String cacheStatus)
            throws IOException, InterruptedException {
        Flight.Start start = null;
        long window = cache.settings().originTimeoutS() + 5L;
        long seen = -1;
        // A peer copy is only served once verified, so a large one can take longer than the origin timeout:
        // keep waiting while bytes keep arriving, give up when nothing moved for a whole window.
        while (start == null) {
            try {
                start = flight.started().get(window, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                long now = flight.written();
                if (now <= seen || now == 0) {
                    replies.error(resp, 504, "origin-timeout", "the item did not start arriving in time");
                    return;
                }
                seen = now;
            } catch (ExecutionException e) {
                replies.error(resp, 502, "origin-failed", "the item could not be fetched");
                return;
            }
        }
        switch (start.kind()) {
            case FAILED -> replies.error(resp, start.status(), start.error(), start.message());
            case STORED -> serveStored(req, resp, flight.id(), start.stale() ? "STALE" : cacheStatus, start.stale());
            case STREAMING -> serveGrowing(req, resp, flight, start, cacheStatus);
        }
    }

    private void serveStored(HttpServletRequest req, HttpServletResponse resp, String id, String cacheStatus,
            boolean stale) throws IOException, InterruptedException {
        Optional<StoredItem> touched = cache.store().touch(id);
        if (touched.isEmpty()) {
            replies.error(resp, 404, "not-found", "no item " + id + " in this gateway's cache");
            return;
        }
        StoredItem item = touched.get();
        if (!cache.settings().shares(item)) {
            replies.error(resp, 403, "not-shared", "the sharing policy does not share this item");
            return;
        }
        String etag = HttpConditions.etagOf(item.sha256());
        resp.setHeader("ETag", etag);
        resp.setHeader("Last-Modified", HttpConditions.httpDate(item.added()));
        resp.setHeader("Accept-Ranges", "bytes");
        resp.setHeader("Cache-Control", "public, max-age=60");
        resp.setHeader("X-Cache", cacheStatus);
        if (stale) {
            resp.setHeader("Warning", "110 - \"Response is Stale\"");
        }
        switch (HttpConditions.evaluate(req.getHeader("If-Match"), req.getHeader("If-Unmodified-Since"),
                req.getHeader("If-None-Match"), req.getHeader("If-Modified-Since"), etag, item.added())) {
            case NOT_MODIFIED -> {
                resp.setStatus(304);
                return;
            }
            case PRECONDITION_FAILED -> {
                replies.error(resp, 412, "precondition-failed", "the item does not match If-Match/If-Unmodified-Since");
                return;
            }
            case PROCEED -> {
                // serve below
            }
        }
        long size = item.size();
        String range = req.getHeader("Range");
        Span span = span(resp, range != null
                && HttpConditions.ifRangeHolds(req.getHeader("If-Range"), etag, item.added()) ? range : null, size);
        if (span == null) {
            return;
        }
        long first = span.first();
        long length = span.length();
        resp.setContentType(item.mediaType());
        ContentSafety.apply(resp, item.mediaType(), item.title());
        resp.setContentLengthLong(length);
        if (req.getMethod().equals("HEAD")) {
            return;
        }
        if (!cache.tryStartDownload()) {
            replies.error(resp, 503, "busy", "too many downloads at once; try again shortly", "Retry-After", "5");
            return;
        }
        try {
            ByteBuffer inMemory = size <= HotItems.MAX_ITEM ? hotCopy(item) : null;
            if (inMemory != null) {
                sendFromMemory(inMemory, (int) first, (int) length, resp, req.getRemoteAddr());
                return;
            }
            Optional<DiskContentStore.Lease> opened = cache.store().open(id);
            if (opened.isEmpty()) {
                replies.error(resp, 404, "not-found", "no item " + id + " in this gateway's cache");
                return;
            }
            try (DiskContentStore.Lease lease = opened.get()) {
                send(lease.channel(), null, first, length, resp, req.getRemoteAddr());
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

    private void sendFromMemory(ByteBuffer content, int first, int length, HttpServletResponse resp, String client)
            throws IOException, InterruptedException {
        ServletOutputStream out = resp.getOutputStream();
        content.position(first).limit(first + length);
        if (cache.limiter().rate() > 0) {
            while (content.hasRemaining()) {
                ByteBuffer slice = content.slice(content.position(), Math.min(64 * 1024, content.remaining()));
                cache.limiter().acquire(client, slice.remaining());
                int n = slice.remaining();
                out.write(slice);
                content.position(content.position() + n);
                cache.counters().bytesServed.add(n);
            }
        } else {
            out.write(content);
            cache.counters().bytesServed.add(length);
        }
    }

    /** Serves an item still arriving from the origin: reads follow the writer through the partial file. */
    private void serveGrowing(HttpServletRequest req, HttpServletResponse resp, Flight flight, Flight.Start start,
            String cacheStatus) throws IOException, InterruptedException {
        FileChannel channel = flight.acquireReader();
        if (channel == null) {
            // it finished (or failed) between our look and now: the store has the answer
            Optional<StoredItem> item = cache.store().get(flight.id());
            if (item.isPresent()) {
                serveStored(req, resp, flight.id(), cacheStatus, false);
            } else {
                replies.error(resp, 502, "origin-failed", "the item could not be fetched");
            }
            return;
        }
        try {
            long total = start.contentLength();
            long first = 0;
            long length = total;
            resp.setHeader("X-Cache", cacheStatus);
            resp.setHeader("Cache-Control", "public, max-age=60");
            resp.setContentType(start.mediaType());
            ContentSafety.apply(resp, start.mediaType(), flight.id());
            if (total >= 0) {
                resp.setHeader("Accept-Ranges", "bytes");
                String range = req.getHeader("If-Range") == null ? req.getHeader("Range") : null;
                Span span = span(resp, range, total);
                if (span == null) {
                    return;
                }
                first = span.first();
                length = span.length();
                resp.setContentLengthLong(length);
            }
            if (req.getMethod().equals("HEAD")) {
                return;
            }
            if (!cache.tryStartDownload()) {
                replies.error(resp, 503, "busy", "too many downloads at once; try again shortly", "Retry-After", "5");
                return;
            }
            try {
                resp.flushBuffer(); // headers out now: the client sees the answer start as soon as the origin's does
                send(channel, flight, first, length, resp, req.getRemoteAddr());
            } finally {
                cache.endDownload();
            }
        } finally {
            flight.releaseReader();
        }
    }

    /**
     * Copies {@code length} bytes (or to the end when -1 and growing) from {@code channel} at {@code first}.
     * A failure after the headers went out can only be signalled by cutting the connection, which the
     * servlet container does when the exception propagates.
     */
    private void send(FileChannel channel, Flight growing, long first, long length, HttpServletResponse resp,
            String client) throws IOException, InterruptedException {
        ServletOutputStream out = resp.getOutputStream();
        ByteBuffer buf = buffers.poll();
        if (buf == null) {
            buf = ByteBuffer.allocateDirect(BUFFER);
        }
        long stallMs = cache.settings().stallTimeoutS() * 1000L;
        try {
            long pos = first;
            long end = length < 0 ? Long.MAX_VALUE : first + length;
            while (pos < end) {
                buf.clear();
                buf.limit((int) Math.min(buf.capacity(), end - pos));
                int n = growing == null ? channel.read(buf, pos) : growing.read(channel, buf, pos, stallMs);
                if (n < 0) {
                    if (length < 0) {
                        break;
                    }
                    throw new IOException("item ended at byte " + pos + " before " + end);
                }
                buf.flip();
                cache.limiter().acquire(client, n);
                out.write(buf);
                pos += n;
                cache.counters().bytesServed.add(n);
            }
        } finally {
            buffers.offer(buf);
        }
    }

    /** The bytes to send: a single satisfiable range (206 and Content-Range set), or the whole item. */
    private record Span(long first, long length) {
    }

    /**
     * Applies a {@code Range} header ({@code null}: none) to an item of {@code size} bytes. Answers 416 and
     * returns {@code null} when the range cannot be satisfied.
     */
    private Span span(HttpServletResponse resp, String range, long size) throws IOException {
        if (range != null) {
            ByteRange.Outcome outcome = ByteRange.parse(range, size);
            if (outcome instanceof ByteRange.Unsatisfiable) {
                replies.error(resp, 416, "range-not-satisfiable", "the item has " + size + " bytes",
                        "Content-Range", "bytes */" + size);
                return null;
            }
            if (outcome instanceof ByteRange.Partial p) {
                resp.setStatus(206);
                resp.setHeader("Content-Range", p.range().contentRange(size));
                return new Span(p.range().first(), p.range().length());
            }
        }
        return new Span(0, size);
    }
}
