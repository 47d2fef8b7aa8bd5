package io.edgeshare.audio.internal.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletAsyncSupported;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import io.edgeshare.audio.internal.Admission;
import io.edgeshare.audio.internal.LiveChannel;
import io.edgeshare.audio.internal.SendQueueProbe;
import io.edgeshare.audio.internal.Settings;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code GET /audio/{channel}}: the endless {@code audio/mpeg} stream of a channel (claim B6), with
 * Icecast-style ICY metadata for clients that send {@code Icy-MetaData: 1}. Admission decides first
 * (claims B2, B8): a refused listener gets 403 or 503 (with {@code Retry-After}) and the reason. An admitted
 * listener's connection is then taken over from Jetty ({@link DirectConnection}: the lean route, and why)
 * or, where that is not possible, streamed through the servlet's non-blocking output ({@link ServletSink}).
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/audio/*")
@HttpWhiteboardServletName("edgeshare-audio-stream")
@HttpWhiteboardServletAsyncSupported
public final class AudioStreamServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    private volatile List<LiveChannel> channels;

    @Override
    protected void doHead(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Optional<LiveChannel> ch = channel(req, resp);
        if (ch.isPresent()) {
            headers(ch.get(), req, resp);
        }
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Optional<LiveChannel> found = channel(req, resp);
        if (found.isEmpty()) {
            return;
        }
        LiveChannel ch = found.get();
        String ticket = req.getParameter("ticket");
        if (ticket == null) {
            ticket = req.getHeader("X-EdgeShare-Ticket");
        }
        int metaint = "1".equals(req.getHeader("Icy-MetaData")) ? ch.settings().icyMetaint() : 0;
        String client = req.getRemoteAddr() + ":" + req.getRemotePort();
        StreamListener listener = new StreamListener(ch, client, ticket, metaint,
                SendQueueProbe.key(req.getLocalPort(), req.getRemotePort()));
        Admission.Decision d = ch.attach(listener);
        if (!d.admitted()) {
            if (d.httpStatus() == 503) {
                resp.setHeader("Retry-After", "30");
            }
            Json.send(resp, d.httpStatus(), Json.error(d.code(), d.reason()));
            return;
        }
        headers(ch, req, resp);
        try {
            if (!DirectConnection.takeOver(req, resp, listener)) {
                ServletSink.start(req, resp, listener);
            }
        } catch (IOException | RuntimeException e) {
            listener.drop("could not start the stream: " + e);
            throw e;
        }
    }

    private static void headers(LiveChannel ch, HttpServletRequest req, HttpServletResponse resp) {
        Settings s = ch.settings();
        resp.setStatus(200);
        resp.setContentType("audio/mpeg");
        resp.setHeader("Cache-Control", "no-cache, no-store");
        resp.setHeader("Pragma", "no-cache");
        resp.setHeader("X-Content-Type-Options", "nosniff");
        resp.setHeader("Access-Control-Allow-Origin", "*");
        resp.setHeader("icy-name", s.name());
        resp.setHeader("icy-pub", "0");
        if (ch.bitrateKbps() > 0) {
            resp.setHeader("icy-br", Integer.toString(ch.bitrateKbps()));
        }
        if ("1".equals(req.getHeader("Icy-MetaData"))) {
            resp.setHeader("icy-metaint", Integer.toString(s.icyMetaint()));
        }
        // an endless body: end it by closing, not with chunked framing players would have to undo
        resp.setHeader("Connection", "close");
    }

    private Optional<LiveChannel> channel(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        List<String> seg = Channels.segments(req.getPathInfo());
        String id = seg.size() == 1 ? seg.get(0) : "";
        if (id.endsWith(".mp3")) {
            id = id.substring(0, id.length() - 4);
        }
        List<LiveChannel> cs = channels;
        Optional<LiveChannel> ch = cs == null ? Optional.empty() : Channels.find(cs, id);
        if (ch.isEmpty()) {
            Json.send(resp, 404, Json.error("no-channel", "no audio channel '" + id + "'"));
        }
        return ch;
    }
}
