package io.edgeshare.uplink.internal;

import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says once, at INFO, which configuration the uplink still waits for: {@link PahoUplink} needs both PIDs
 * {@code edgeshare.identity} (written at enrolment) and {@code edgeshare.uplink}, and a component that is not
 * satisfied is otherwise silent (issue 13).
 */
@Component(configurationPid = { "edgeshare.identity", "edgeshare.uplink" },
        configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true, service = {})
public final class UplinkWaitingNotice {
    private static final Logger LOG = LoggerFactory.getLogger(UplinkWaitingNotice.class);

    private String said = "";

    @Activate
    @Modified
    void check(Map<String, Object> properties) {
        String missing = missing(properties);
        if (!missing.isEmpty() && !missing.equals(said)) {
            LOG.info("edgeshare.uplink: not connecting yet: waiting for {} (enrol the gateway: docs/karaf.md)",
                    missing);
        }
        said = missing;
    }

    static String missing(Map<String, Object> properties) {
        boolean identity = present(properties.get("device.id"));
        boolean uplink = properties.containsKey("broker.uri");
        if (!identity && !uplink) {
            return "PID edgeshare.identity key device.id and PID edgeshare.uplink key broker.uri";
        }
        return !identity ? "PID edgeshare.identity key device.id" : !uplink ? "PID edgeshare.uplink key broker.uri" : "";
    }

    private static boolean present(Object value) {
        return value != null && !String.valueOf(value).isBlank();
    }
}
