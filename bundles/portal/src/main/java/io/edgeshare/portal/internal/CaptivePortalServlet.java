package io.edgeshare.portal.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The captive-portal landing a phone shows after joining the hotspot. Phones probe a well-known URL (the
 * hotspot's DNS sends its host here) and expect a fixed answer when the internet is reachable; anything else,
 * here a redirect to {@code /welcome} on this gateway's own address, makes them open the landing page.
 * Open to everyone; answers GET and HEAD only.
 */
@Component(service = Servlet.class, configurationPid = "edgeshare.identity")
@HttpWhiteboardServletPattern({ "/generate_204", "/gen_204", "/hotspot-detect.html", "/library/test/success.html",
        "/connecttest.txt", "/ncsi.txt", "/redirect", "/canonical.html", "/success.txt", "/welcome" })
@HttpWhiteboardServletName("edgeshare-portal-captive")
public final class CaptivePortalServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    static final String LANDING = "/welcome";

    private final transient PortalTelemetry telemetry;
    private volatile String name;

    @Activate
    public CaptivePortalServlet(PortalConfig identity, @Reference PortalTelemetry telemetry) {
        this.telemetry = telemetry;
        modified(identity);
    }

    @Modified
    void modified(PortalConfig identity) {
        name = identity.display_name().isBlank() ? identity.device_id() : identity.display_name();
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (!"GET".equals(req.getMethod()) && !"HEAD".equals(req.getMethod())) {
            telemetry.refusedWrite();
            JsonReplies.readOnly(resp);
            return;
        }
        if (LANDING.equals(req.getServletPath())) {
            landing(resp);
            return;
        }
        telemetry.captiveProbe();
        // absolute, on the address the phone reached us at: the probe's Host names someone else's server
        String host = req.getLocalAddr();
        if (host.indexOf(':') >= 0) {
            host = "[" + host + "]";
        }
        resp.setHeader("Cache-Control", "no-store");
        resp.setHeader("Location", "http://" + host + ":" + req.getLocalPort() + LANDING);
        resp.setStatus(HttpServletResponse.SC_FOUND);
    }

    private void landing(HttpServletResponse resp) throws IOException {
        String shown = Html.escape(NearbyView.clip(name == null || name.isBlank() ? "EdgeShare" : name));
        String page = """
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>Welcome to %1$s</title>
                <style>
                  body { font-family: system-ui, sans-serif; margin: 0; background: #14532d; color: #fff;
                         min-height: 100vh; display: flex; align-items: center; justify-content: center; }
                  main { max-width: 26rem; padding: 1.5rem; text-align: center; }
                  h1 { font-size: 1.5rem; margin: 0 0 .75rem; }
                  p { opacity: .92; line-height: 1.4; }
                  a { display: inline-block; margin-top: 1rem; background: #fff; color: #14532d; font-weight: 700;
                      padding: .8rem 1.4rem; border-radius: .5rem; text-decoration: none; }
                </style></head>
                <body><main>
                <h1 id="welcome">Welcome to %1$s</h1>
                <p>You are connected to an EdgeShare hotspot. Music, videos and files shared here come from this
                access point and the sharers around it: no mobile data used.</p>
                <a id="open-portal" href="/">Open the portal</a>
                </main></body></html>
                """.formatted(shown);
        byte[] bytes = page.getBytes(StandardCharsets.UTF_8);
        resp.setContentType("text/html;charset=utf-8");
        resp.setHeader("Cache-Control", "no-store");
        resp.setContentLength(bytes.length);
        resp.getOutputStream().write(bytes);
    }
}
