package io.edgeshare.platform.fleet.internal;

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
 * The fleet console an operator opens: {@code GET /} returns the console page; other paths that no
 * servlet claims get a JSON 404.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/")
@HttpWhiteboardServletName("edgeshare-fleet-console")
public final class ConsolePageServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private final byte[] page;

    public ConsolePageServlet() throws IOException {
        try (InputStream in = ConsolePageServlet.class.getResourceAsStream("/static/index.html")) {
            if (in == null) {
                throw new IOException("console page missing from the bundle");
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
