package io.edgeshare.platform.fleet.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The fleet console an operator opens: {@code GET /} the paged fleet list, {@code GET /gateway.html?id=} one
 * gateway's page, {@code GET /rollouts.html} the rollouts (all public: they hold no data; they ask for the operator
 * token and send it with every API call); their scripts ({@code /console.js}, shared, and one per page) are
 * served here too, and the pages run no inline script ({@code script-src 'self'}). Other paths that no servlet
 * claims get a JSON 404.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/")
@HttpWhiteboardServletName("edgeshare-fleet-console")
public final class ConsolePageServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private final Map<String, byte[]> pages;
    private final Map<String, byte[]> scripts;

    public ConsolePageServlet() throws IOException {
        pages = Map.of("/", resource("/static/index.html"), "/gateway.html", resource("/static/gateway.html"),
                "/rollouts.html", resource("/static/rollouts.html"));
        scripts = Map.of("/console.js", resource("/static/console.js"), "/fleet.js", resource("/static/fleet.js"),
                "/gateway.js", resource("/static/gateway.js"), "/rollouts.js", resource("/static/rollouts.js"));
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = ConsolePageServlet.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("console page " + name + " missing from the bundle");
            }
            return in.readAllBytes();
        }
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getPathInfo() == null ? req.getServletPath() : req.getServletPath() + req.getPathInfo();
        byte[] body = pages.get(path.isEmpty() || path.equals("/index.html") ? "/" : path);
        byte[] script = scripts.get(path);
        if (body != null || script != null) {
            resp.setContentType(body != null ? "text/html;charset=utf-8" : "text/javascript;charset=utf-8");
            if (body == null) {
                body = script;
            }
            resp.setHeader("Cache-Control", "no-cache");
            resp.setHeader("Content-Security-Policy", "default-src 'self'; script-src 'self'; "
                    + "style-src 'unsafe-inline'; img-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
                    + "form-action 'self'");
            resp.setHeader("X-Content-Type-Options", "nosniff");
            resp.setHeader("Referrer-Policy", "no-referrer");
            resp.setContentLength(body.length);
            resp.getOutputStream().write(body);
        } else {
            ApiResponses.error(resp, HttpServletResponse.SC_NOT_FOUND, "not-found", "nothing is served at this path");
        }
    }
}
