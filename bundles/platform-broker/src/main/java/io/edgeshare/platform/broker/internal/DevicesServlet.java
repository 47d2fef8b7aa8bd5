package io.edgeshare.platform.broker.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.edgeshare.support.InstanceData;

/**
 * Device enrolment (contract K5), for operators only: it is served inside the platform API's guarded context
 * (K3), so without the operator's bearer token nothing here answers. {@code POST /api/devices} issues (or
 * rotates) a device's broker password and shows it once; {@code GET /api/devices} lists devices without
 * secrets; {@code DELETE /api/devices/{id}} revokes one and closes its connection.
 */
@Component(service = Servlet.class)
@HttpWhiteboardContextSelect("(osgi.http.whiteboard.context.name=edgeshare-platform-api)")
@HttpWhiteboardServletPattern({ "/devices", "/devices/*" })
@HttpWhiteboardServletName("edgeshare-devices-api")
public final class DevicesServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(DevicesServlet.class);
    private static final int MAX_BODY = 4096;
    // base64 keys keep their '=' (shell scripts read the answer too)
    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

    private final transient DeviceRegistry devices;
    private final transient Path platformKeyFile;
    private final transient LongAdder badRequests = new LongAdder();

    @Activate
    public DevicesServlet(@Reference DeviceRegistry devices, BundleContext context) {
        this(devices, platformKeyFile(context));
    }

    DevicesServlet(DeviceRegistry devices, Path platformKeyFile) {
        this.devices = devices;
        this.platformKeyFile = platformKeyFile;
    }

    /** The policy-signing public key platform-policy keeps in the instance, handed to the gateway it enrols. */
    private static Path platformKeyFile(BundleContext context) {
        return InstanceData.instanceDir(context) == null ? null
                : InstanceData.resolve(context, "platform-policy/platform-ed25519.pub");
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (req.getPathInfo() != null && !req.getPathInfo().equals("/")) {
            error(resp, 405, "method_not_allowed", "GET /api/devices lists every device");
            return;
        }
        List<Map<String, Object>> list = devices.list().stream().map(d -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("deviceId", d.deviceId());
            m.put("username", d.deviceId());
            m.put("clientId", "gw-" + d.deviceId());
            m.put("enrolledAt", d.enrolledAtMillis());
            return m;
        }).toList();
        send(resp, 200, Map.of("devices", list));
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (req.getPathInfo() != null && !req.getPathInfo().equals("/")) {
            error(resp, 405, "method_not_allowed", "POST /api/devices with {\"deviceId\":\"...\"}");
            return;
        }
        String deviceId;
        try {
            deviceId = deviceId(req);
        } catch (IllegalArgumentException e) {
            badRequests.increment();
            error(resp, 400, "bad_request", e.getMessage());
            return;
        }
        DeviceRegistry.Enrolled enrolled;
        try {
            enrolled = devices.enrol(deviceId);
        } catch (IllegalArgumentException e) {
            badRequests.increment();
            error(resp, 400, "invalid_device_id", e.getMessage());
            return;
        } catch (UncheckedIOException e) {
            LOG.error("edgeshare.platform.broker: cannot store the device registry: {}", e.getCause().getMessage());
            error(resp, 503, "storage_failed", "the device registry could not be written; try again");
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("deviceId", enrolled.deviceId());
        body.put("username", enrolled.deviceId());
        body.put("password", enrolled.password());
        body.put("clientId", "gw-" + enrolled.deviceId());
        body.put("platformKey", platformKey());
        resp.setHeader("Cache-Control", "no-store");
        send(resp, enrolled.rotated() ? 200 : 201, body);
    }

    @Override
    protected void doDelete(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getPathInfo();
        String id = path == null || path.length() < 2 ? "" : path.substring(1);
        if (id.isEmpty() || id.contains("/")) {
            badRequests.increment();
            error(resp, 400, "bad_request", "DELETE /api/devices/{deviceId}");
            return;
        }
        try {
            if (devices.revoke(id)) {
                resp.setStatus(204);
            } else {
                error(resp, 404, "not_found", "no such device");
            }
        } catch (UncheckedIOException e) {
            LOG.error("edgeshare.platform.broker: cannot store the device registry: {}", e.getCause().getMessage());
            error(resp, 503, "storage_failed", "the device registry could not be written; try again");
        }
    }

    private static String deviceId(HttpServletRequest req) throws IOException {
        byte[] body;
        try (InputStream in = req.getInputStream()) {
            body = in.readNBytes(MAX_BODY + 1);
        }
        if (body.length > MAX_BODY) {
            throw new IllegalArgumentException("the body is larger than " + MAX_BODY + " bytes");
        }
        try {
            JsonElement json = JsonParser.parseString(new String(body, StandardCharsets.UTF_8));
            JsonElement id = json.isJsonObject() ? json.getAsJsonObject().get("deviceId") : null;
            if (id == null || !id.isJsonPrimitive() || !id.getAsJsonPrimitive().isString()) {
                throw new IllegalArgumentException("the body must be {\"deviceId\":\"...\"}");
            }
            return id.getAsString();
        } catch (JsonParseException e) {
            throw new IllegalArgumentException("the body is not JSON");
        }
    }

    private String platformKey() {
        try {
            return platformKeyFile != null && Files.exists(platformKeyFile)
                    ? Files.readString(platformKeyFile, StandardCharsets.US_ASCII).trim() : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static void error(HttpServletResponse resp, int status, String code, String message) throws IOException {
        send(resp, status, Map.of("error", code, "message", message));
    }

    private static void send(HttpServletResponse resp, int status, Object body) throws IOException {
        resp.setStatus(status);
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        resp.getWriter().write(GSON.toJson(body));
    }
}
