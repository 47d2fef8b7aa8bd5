package io.edgeshare.karaf.shell.internal;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * {@code edgeshare:enrol --platform URL --operator-token-file F --id gw-x}: the launcher's enrolment in the Karaf
 * console (docs/karaf.md). Asks the platform for a credential and writes identity, broker login and platform key
 * through ConfigAdmin. Prints no secret.
 */
@Service
@Command(scope = "edgeshare", name = "enrol", description = "Enrol this gateway with an EdgeShare platform")
public final class EnrolCommand implements Action {
    private static final String DEVICE_ID = "[A-Za-z0-9._-]{1,64}";

    @Reference
    ConfigurationAdmin configurationAdmin;

    @Option(name = "--platform", required = true, description = "The platform's URL, e.g. http://platform:8080")
    String platform;

    @Option(name = "--operator-token-file", required = true, description = "File holding the operator token")
    String tokenFile;

    @Option(name = "--id", required = true, description = "Device id, 1-64 of A-Z a-z 0-9 . _ -")
    String deviceId;

    @Option(name = "--broker", description = "The platform's MQTT URI; default tcp://{platform host}:1883")
    String broker;

    @Option(name = "--latitude", description = "Location, degrees")
    Double latitude;

    @Option(name = "--longitude", description = "Location, degrees")
    Double longitude;

    @Option(name = "--portal-url", description = "Where nearby phones reach this gateway's portal")
    String portalUrl;

    @Override
    public Object execute() throws Exception {
        if (!deviceId.matches(DEVICE_ID) || deviceId.equals("edgeshare-platform")) {
            throw new IllegalArgumentException("--id must be 1-64 of A-Z a-z 0-9 . _ - (and not edgeshare-platform)");
        }
        URI platformUri = URI.create(platform.strip());
        if (!"http".equals(platformUri.getScheme()) && !"https".equals(platformUri.getScheme())) {
            throw new IllegalArgumentException("--platform must be an http:// or https:// URL");
        }
        String brokerUri = broker != null && !broker.isBlank() ? broker.strip()
                : "tcp://" + platformUri.getHost() + ":1883";
        String token = Files.readString(Path.of(tokenFile), StandardCharsets.UTF_8).strip();
        PlatformEnrolment.Credential credential = new PlatformEnrolment().enrol(platformUri, token, deviceId);
        Map<String, Object> identity = new LinkedHashMap<>();
        if (latitude != null) {
            identity.put("location.latitude", latitude);
        }
        if (longitude != null) {
            identity.put("location.longitude", longitude);
        }
        if (portalUrl != null) {
            identity.put("portal.url", portalUrl);
        }
        new EnrolmentConfigs(configurationAdmin).write(credential, brokerUri, identity);
        System.out.println("enrolled " + deviceId + " with " + platformUri + "; uplink to " + brokerUri + " as "
                + credential.username() + " (edgeshare.identity, edgeshare.uplink, edgeshare.policy written)");
        return null;
    }
}
