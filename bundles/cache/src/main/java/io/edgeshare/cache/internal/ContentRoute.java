package io.edgeshare.cache.internal;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.servlet.whiteboard.Preprocessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.edgeshare.support.LogText;

/**
 * The fast route for {@code GET|HEAD /content/{id}} of a stored item: a Jetty core handler, offered as a
 * {@link Handler} service with {@code edgeshare.fastpath.path=/content} for the http-fastpath bundle to mount in
 * front of the servlet whiteboard. It answers with the servlet's own code ({@link StoredResponder}), so the
 * semantics are the same; it saves the whiteboard's per-request work (servlet request/response objects, the
 * preprocessor and filter chains, servlet dispatch), which dominated serving small files.
 * <p>
 * It declines ({@code false}: the whiteboard's {@link ContentServlet} answers) everything else: other methods
 * (TRACE stays http-hygiene's 405), {@code /content/fetch}, items not stored (coalesced, peer, 404), and every
 * request while an access log preprocessor is on ({@code access.log.enabled=true}), so each is still logged. It
 * sets {@code X-Content-Type-Options: nosniff} on every answer as http-hygiene does for the whiteboard. Without
 * the http-fastpath bundle nothing mounts it and the whiteboard serves everything, as before.
 */
@Component(service = Handler.class, property = "edgeshare.fastpath.path=" + ContentRoute.MOUNT)
public final class ContentRoute extends Handler.Abstract {

    private static final Logger LOG = LoggerFactory.getLogger(ContentRoute.class);
    /** Where http-fastpath mounts this route (the service property below). */
    static final String MOUNT = "/content";
    private static final HttpField NOSNIFF = new PreEncodedHttpField("X-Content-Type-Options", "nosniff");

    private final ContentCache cache;
    private final StoredResponder responder;
    private final Replies replies = new Replies();
    private final AtomicInteger accessLogs = new AtomicInteger();

    @Activate
    public ContentRoute(@Reference ContentCache cache) {
        this.cache = cache;
        this.responder = new StoredResponder(cache);
    }

    @Reference(service = Preprocessor.class, target = "(access.log.enabled=true)",
            cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addAccessLog(ServiceReference<Preprocessor> ref) {
        accessLogs.incrementAndGet();
    }

    void removeAccessLog(ServiceReference<Preprocessor> ref) {
        accessLogs.decrementAndGet();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String method = request.getMethod();
        if (!method.equals("GET") && !method.equals("HEAD") || accessLogs.get() > 0) {
            return false;
        }
        // the full path: http-fastpath hands the request over unwrapped, so there is no "path in context"
        String full = request.getHttpURI().getCanonicalPath();
        if (!full.startsWith(MOUNT) || !isIdPath(full, MOUNT.length())) {
            return false;
        }
        String path = full.substring(MOUNT.length());
        if (path.equals("/fetch")) {
            return false;
        }
        String id = path.substring(1);
        Optional<StoredItem> item = cache.store().get(id);
        if (item.isEmpty()) {
            return false;
        }
        cache.counters().fastRoute.increment();
        cache.counters().requests.increment();
        cache.counters().hits.increment();
        cache.revalidateInBackground(item.get());
        response.getHeaders().put(NOSNIFF);
        CoreExchange ex = new CoreExchange(request, response, replies, new HangUpLog(callback, request, path));
        try {
            responder.serveStored(ex, id, "HIT", false);
            if (!ex.handedOff()) {
                callback.succeeded();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failed(ex, callback, path, request, new IOException("interrupted", e), 503, "shutting-down");
        } catch (IOException | RuntimeException e) {
            failed(ex, callback, path, request, e, 502, "transfer-failed");
        }
        return true;
    }

    /** Whether {@code path} from {@code from} on is {@code /} and 1-128 of {@code [A-Za-z0-9_-]} (an item id). */
    static boolean isIdPath(String path, int from) {
        int n = path.length() - from - 1;
        if (n < 1 || n > 128 || path.charAt(from) != '/') {
            return false;
        }
        for (int i = from + 1; i < path.length(); i++) {
            char c = path.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /**
     * The handler's callback as given to Jetty with a hot item's bytes: a failure (the client went away) is logged
     * as for a blocking write. Its invocation type is the callback's own, so Jetty may complete it on the spot.
     */
    private static final class HangUpLog extends Callback.Nested {
        private final Request request;
        private final String path;

        HangUpLog(Callback callback, Request request, String path) {
            super(callback);
            this.request = request;
            this.path = path;
        }

        @Override
        public void failed(Throwable x) {
            LOG.warn("HTTP client {} hung up during {} /content{}: {}", Request.getRemoteAddr(request),
                    request.getMethod(), LogText.clean(path), LogText.clean(x.toString()));
            super.failed(x);
        }
    }

    /** As the servlet: a clear error while nothing went out, else the connection is cut (one WARN line). */
    private void failed(CoreExchange ex, Callback callback, String path, Request request, Exception e, int status,
            String code) {
        if (ex.handedOff()) {
            return; // Jetty completes the callback with the write it was given
        }
        String client = Request.getRemoteAddr(request);
        if (!ex.committed()) {
            if (status == 502) {
                LOG.warn("Content transfer to {} of {} failed: {}", client, LogText.clean(path),
                        LogText.clean(e.toString()));
            }
            try {
                ex.error(status, code, status == 503 ? "interrupted" : "the item could not be sent");
                callback.succeeded();
                return;
            } catch (IOException again) {
                callback.failed(again);
                return;
            }
        }
        LOG.warn("HTTP client {} hung up during {} /content{}: {}", client, request.getMethod(),
                LogText.clean(path), LogText.clean(e.toString()));
        callback.failed(e);
    }
}
