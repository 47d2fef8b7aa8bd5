package io.edgeshare.cache.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.Optional;
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
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.edgeshare.support.LogText;

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

    private final transient ContentCache cache;
    private final transient Replies replies = new Replies();
    private final transient StoredResponder responder;

    @Activate
    public ContentServlet(@Reference ContentCache cache) {
        this.cache = cache;
        this.responder = new StoredResponder(cache);
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
        responder.serveStored(new ServletExchange(req, resp, replies), id, cacheStatus, stale);
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
        ServletExchange ex = new ServletExchange(req, resp, replies);
        try {
            long total = start.contentLength();
            long first = 0;
            long length = total;
            resp.setHeader("X-Cache", cacheStatus);
            resp.setHeader("Cache-Control", "public, max-age=60");
            resp.setContentType(start.mediaType());
            ContentSafety.apply(ex, start.mediaType(), flight.id());
            if (total >= 0) {
                resp.setHeader("Accept-Ranges", "bytes");
                String range = req.getHeader("If-Range") == null ? req.getHeader("Range") : null;
                StoredResponder.Span span = responder.span(ex, range, total);
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
                responder.send(ex, channel, flight, first, length);
            } finally {
                cache.endDownload();
            }
        } finally {
            flight.releaseReader();
        }
    }
}
