package io.edgeshare.portal.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The page a phone opens on the gateway: {@code GET /} returns the single-page portal; other paths that no
 * servlet claims get a JSON 404.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/")
@HttpWhiteboardServletName("edgeshare-portal-page")
public final class PageServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private final byte[] page;

    public PageServlet() throws IOException {
        try (InputStream in = PageServlet.class.getResourceAsStream("/static/index.html")) {
            if (in == null) {
                throw new IOException("portal page missing from the bundle");
            }
            page = in.readAllBytes();
        }
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getPathInfo() == null ? req.getServletPath() : req.getServletPath() + req.getPathInfo();
        if (path.isEmpty() || path.equals("/") || path.equals("/index.html")) {
            resp.setContentType("text/html;charset=utf-8");
            resp.setHeader("Cache-Control", "no-cache");
            // the page loads nothing from elsewhere (works offline); peer links are navigation only
            resp.setHeader("Content-Security-Policy", "default-src 'self'; script-src 'self' 'unsafe-inline'; "
                    + "style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'none'");
            resp.setContentLength(page.length);
            resp.getOutputStream().write(page);
        } else {
            byte[] json = "{\"error\":\"not found\"}".getBytes(StandardCharsets.UTF_8);
            resp.setStatus(HttpServletResponse.SC_NOT_FOUND);
            resp.setContentType("application/json;charset=utf-8");
            resp.setContentLength(json.length);
            resp.getOutputStream().write(json);
        }
    }
}
