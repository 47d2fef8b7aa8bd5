package io.edgeshare.metrics.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;

import io.edgeshare.api.telemetry.TelemetrySnapshot;

/**
 * Decides readiness from what DS says of every {@code io.edgeshare} component and from the states the telemetry
 * sources publish. Details name components, references, PIDs and channels only: never an address, a value or
 * an error text (those can hold secrets or paths).
 */
final class Readiness {

    enum Status {
        /** working */
        UP,
        /** not working: makes the node not ready */
        DOWN,
        /** worth a look, not a reason to take the node out of service (e.g. a rejected policy, an unconfigured factory) */
        WARN;

        String text() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    record Part(String name, Status status, String detail) {
    }

    private Readiness() {
    }

    /** Parts sorted by name: components first ({@code component:...}), then telemetry states. */
    static List<Part> parts(Collection<ComponentDescriptionDTO> descriptions,
            Map<ComponentDescriptionDTO, Collection<ComponentConfigurationDTO>> configurations,
            Collection<TelemetrySnapshot> snapshots) {
        Map<String, Part> out = new TreeMap<>();
        for (ComponentDescriptionDTO d : descriptions) {
            if (d.name == null || !d.name.startsWith("io.edgeshare.")) {
                continue;
            }
            Part p = component(d, configurations.getOrDefault(d, List.of()));
            out.put(p.name(), p);
        }
        for (TelemetrySnapshot s : snapshots) {
            for (Part p : telemetry(s)) {
                out.put(p.name(), p);
            }
        }
        return new ArrayList<>(out.values());
    }

    static boolean ready(List<Part> parts) {
        return parts.stream().noneMatch(p -> p.status() == Status.DOWN);
    }

    private static Part component(ComponentDescriptionDTO d, Collection<ComponentConfigurationDTO> configs) {
        String name = "component:" + d.name;
        if (configs.isEmpty()) {
            // require-policy components without a configuration (audio channels, factories) wait by design
            return new Part(name, Status.WARN, "no configuration (" + String.join(",", d.configurationPid) + ")");
        }
        for (ComponentConfigurationDTO c : configs) {
            switch (c.state) {
                case ComponentConfigurationDTO.UNSATISFIED_REFERENCE -> {
                    List<String> missing = new ArrayList<>();
                    for (UnsatisfiedReferenceDTO r : c.unsatisfiedReferences) {
                        missing.add(r.name);
                    }
                    return new Part(name, Status.DOWN, "missing reference " + String.join(",", missing));
                }
                case ComponentConfigurationDTO.FAILED_ACTIVATION -> {
                    return new Part(name, Status.DOWN, "activation failed");
                }
                case ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION -> {
                    return new Part(name, Status.WARN,
                            "missing configuration " + String.join(",", d.configurationPid));
                }
                default -> {
                    // satisfied or active: look at the next configuration
                }
            }
        }
        return new Part(name, Status.UP, configs.stream().anyMatch(c -> c.state == ComponentConfigurationDTO.ACTIVE)
                ? "active" : "satisfied");
    }

    private static List<Part> telemetry(TelemetrySnapshot s) {
        List<Part> parts = new ArrayList<>();
        Map<String, String> l = s.labels();
        String state = l.get("state");
        if ("connected".equals(state) || "disconnected".equals(state)) {
            boolean connected = state.equals("connected");
            parts.add(new Part(s.source() + ":broker", connected ? Status.UP : Status.DOWN,
                    connected ? "connected" : "disconnected"));
        } else if (state != null && s.source().equals("ap")) {
            // the access point: only a setup that cannot run makes the gateway unready; off (no backend, by
            // configuration or outside its hours) is a choice, not a fault
            // (the profiles leave the backend empty: then nothing runs by choice, whatever the state says)
            boolean noBackend = l.getOrDefault("backend", "").isEmpty();
            parts.add(noBackend ? new Part("ap:radio", Status.UP, "no backend configured")
                    : new Part("ap:radio", state.equals("failed") ? Status.DOWN : Status.UP, state));
        }
        String admission = l.get("admission");
        if (admission != null) {
            boolean ok = admission.equals("ok");
            parts.add(new Part(s.source() + ":store", ok ? Status.UP : Status.DOWN,
                    ok ? "admitting" : "admission stopped"));
        }
        for (String key : new TreeMap<>(l).keySet()) {
            if (key.startsWith("channel.") && key.endsWith(".configError")) {
                String id = key.substring("channel.".length(), key.length() - ".configError".length());
                parts.add(new Part(s.source() + ":channel:" + id, Status.DOWN, "configuration error"));
            } else if (key.startsWith("channel.") && key.endsWith(".playing")) {
                String id = key.substring("channel.".length(), key.length() - ".playing".length());
                if (!l.containsKey("channel." + id + ".configError")) {
                    parts.add(new Part(s.source() + ":channel:" + id, Status.UP, "playing"));
                }
            }
        }
        String outcome = l.get("outcome");
        if (outcome != null) {
            boolean bad = outcome.equals("rejected") || outcome.equals("reverted");
            parts.add(new Part(s.source() + ":outcome", bad ? Status.WARN : Status.UP,
                    outcome.matches("[a-z-]{1,20}") ? outcome : "unknown"));
        }
        return parts;
    }
}
