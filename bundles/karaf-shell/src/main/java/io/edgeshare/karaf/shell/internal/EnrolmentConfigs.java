package io.edgeshare.karaf.shell.internal;

import java.io.IOException;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;

import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Writes an enrolment through ConfigAdmin, as the launcher writes {@code etc/} files: the platform's policy key
 * ({@code edgeshare.policy}), the broker login ({@code edgeshare.uplink}) and last the identity
 * ({@code edgeshare.identity}), which lets the uplink start. Other keys of those PIDs are kept.
 */
final class EnrolmentConfigs {
    private final ConfigurationAdmin admin;

    EnrolmentConfigs(ConfigurationAdmin admin) {
        this.admin = admin;
    }

    void write(PlatformEnrolment.Credential credential, String brokerUri, Map<String, Object> identity)
            throws IOException {
        merge("edgeshare.policy", Map.of("platform.public.key", credential.platformKey()));
        merge("edgeshare.uplink", Map.of("broker.uri", brokerUri, "username", credential.username(),
                "password", credential.password()));
        Map<String, Object> id = new java.util.LinkedHashMap<>(identity);
        id.put("device.id", credential.deviceId());
        merge("edgeshare.identity", id);
    }

    private void merge(String pid, Map<String, Object> values) throws IOException {
        Configuration c = admin.getConfiguration(pid, "?");
        Dictionary<String, Object> current = c.getProperties();
        Hashtable<String, Object> next = new Hashtable<>();
        if (current != null) {
            for (var keys = current.keys(); keys.hasMoreElements();) {
                String k = keys.nextElement();
                next.put(k, current.get(k));
            }
        }
        next.putAll(values);
        c.update(next);
    }
}
