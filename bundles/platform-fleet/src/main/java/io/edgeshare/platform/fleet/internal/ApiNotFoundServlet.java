package io.edgeshare.platform.fleet.internal;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** Whatever no platform API servlet claims under {@code /api} gets a JSON 404 (after the guard), not a server page. */
@Component(service = Servlet.class)
@HttpWhiteboardContextSelect("(osgi.http.whiteboard.context.name=" + PlatformApiContext.NAME + ")")
@HttpWhiteboardServletPattern("/")
@HttpWhiteboardServletName("edgeshare-platform-api-not-found")
public final class ApiNotFoundServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) {
        ApiResponses.error(resp, HttpServletResponse.SC_NOT_FOUND, "not-found", "no platform API at this path "
                + "(see docs/http-api.md)");
    }
}
