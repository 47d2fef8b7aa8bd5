package io.edgeshare.policy.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

import io.edgeshare.api.ap.AccessPoint;
import io.edgeshare.api.ap.AccessPointStatus;

/**
 * Healthy after a change means: every DS component that was active (or satisfied) on a changed configuration
 * before is so again, now carrying the new generation, and none failed to activate; and every required
 * service is registered. Components that were already broken before the change do not count against it.
 * A change to the access point also needs the {@link AccessPoint} to report that it runs the new generation:
 * a radio change can fail after its component took the configuration, and with no ap bundle nothing would
 * apply the keys at all (the policy is then refused instead of reported applied).
 */
final class ComponentHealthCheck implements HealthCheck {
    private static final long POLL_MS = 2;

    private final ServiceComponentRuntime scr;
    private final BundleContext context;
    private volatile List<String> requiredServices;

    ComponentHealthCheck(ServiceComponentRuntime scr, BundleContext context, List<String> requiredServices) {
        this.scr = scr;
        this.context = context;
        this.requiredServices = List.copyOf(requiredServices);
    }

    void requireServices(List<String> filters) {
        this.requiredServices = List.copyOf(filters);
    }

    /** A component on one of the changed configurations, healthy before the change. */
    private record Watched(ComponentDescriptionDTO description, String pid) {
        String name() {
            return description.name + " (" + pid + ")";
        }
    }

    @Override
    public Probe start(Set<String> pids) {
        List<Watched> watched = new ArrayList<>();
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
            if (d.configurationPid == null || !scr.isComponentEnabled(d)) {
                continue;
            }
            for (String pid : pids) {
                if (List.of(d.configurationPid).stream().anyMatch(cp -> configures(cp, pid))) {
                    for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
                        if (healthy(c.state) && pidsOf(c.properties.get("service.pid")).contains(pid)) {
                            watched.add(new Watched(d, pid));
                        }
                    }
                }
            }
        }
        boolean apChanged = pids.contains(ConfigPlan.AP_PID);
        boolean apPresent = scr.getComponentDescriptionDTOs().stream().anyMatch(d -> d.configurationPid != null
                && scr.isComponentEnabled(d) && List.of(d.configurationPid).contains(ConfigPlan.AP_PID));
        return new Probe() {
            @Override
            public String await(long generation, Duration timeout) throws InterruptedException {
                if (apChanged && !apPresent) {
                    return "no ap bundle applies " + ConfigPlan.AP_PID + ": the access point settings cannot take "
                            + "effect on this gateway";
                }
                return ComponentHealthCheck.this.await(watched, apChanged, generation, timeout);
            }

            @Override
            public String watching() {
                return watched.isEmpty() ? "no component" : watched.stream().map(Watched::name).toList().toString();
            }
        };
    }

    private String await(List<Watched> watched, boolean apChanged, long generation, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> required = requiredServices;
        while (true) {
            List<String> waiting = new ArrayList<>();
            for (Watched w : watched) {
                String problem = check(w, generation);
                if (problem.startsWith("failed")) {
                    return w.name() + " " + problem;
                }
                if (!problem.isEmpty()) {
                    waiting.add(w.name() + " " + problem);
                }
            }
            for (String filter : required) {
                if (!present(filter)) {
                    waiting.add("no service matches " + filter);
                }
            }
            if (apChanged) {
                String problem = accessPoint(generation);
                if (problem.startsWith("failed")) {
                    return problem;
                }
                if (!problem.isEmpty()) {
                    waiting.add(problem);
                }
            }
            if (waiting.isEmpty()) {
                return "";
            }
            if (System.nanoTime() > deadline) {
                return "not healthy " + timeout.toMillis() + " ms after the change: " + String.join("; ", waiting);
            }
            Thread.sleep(POLL_MS);
        }
    }

    private String check(Watched w, long generation) {
        String state = "has no configuration";
        java.util.Collection<ComponentConfigurationDTO> configurations;
        try {
            configurations = scr.getComponentConfigurationDTOs(w.description());
        } catch (RuntimeException e) {
            // Felix SCR can fail building the DTO of a configuration it is swapping right now: look again
            return "is being reconfigured";
        }
        for (ComponentConfigurationDTO c : configurations) {
            if (!pidsOf(c.properties.get("service.pid")).contains(w.pid())) {
                continue;
            }
            Object g = c.properties.get(ConfigPlan.GENERATION_KEY);
            boolean current = g != null && String.valueOf(g).equals(Long.toString(generation));
            if (c.state == ComponentConfigurationDTO.FAILED_ACTIVATION && current) {
                return "failed to activate: " + c.failure;
            }
            if (current && healthy(c.state)) {
                return "";
            }
            state = current ? "is in state " + c.state : "has not taken generation " + generation + " yet";
        }
        return state;
    }

    /** Empty once the access point runs {@code generation}; "failed ..." when it could not apply it. */
    private String accessPoint(long generation) {
        ServiceReference<AccessPoint> ref = context.getServiceReference(AccessPoint.class);
        AccessPoint ap = ref == null ? null : context.getService(ref);
        if (ap == null) {
            return "the access point service is not registered";
        }
        try {
            AccessPointStatus st = ap.status();
            if (st.failedGeneration() == generation && !st.failure().isEmpty()) {
                return "failed: the access point could not apply generation " + generation + ": " + st.failure();
            }
            return st.appliedGeneration() == generation ? ""
                    : "the access point has not applied generation " + generation + " yet";
        } finally {
            context.ungetService(ref);
        }
    }

    private boolean present(String filter) {
        try {
            ServiceReference<?>[] refs = context.getServiceReferences((String) null, filter);
            return refs != null && refs.length > 0;
        } catch (InvalidSyntaxException e) {
            return false;
        }
    }

    private static boolean healthy(int state) {
        return state == ComponentConfigurationDTO.ACTIVE || state == ComponentConfigurationDTO.SATISFIED;
    }

    /** A singleton PID, or a factory configuration's PID ({@code factory~name} or {@code factory.<uuid>}). */
    static boolean configures(String componentPid, String pid) {
        return pid.equals(componentPid) || pid.startsWith(componentPid + "~") || pid.startsWith(componentPid + ".");
    }

    static Set<String> pidsOf(Object v) {
        Set<String> out = new HashSet<>();
        if (v instanceof String s) {
            out.add(s);
        } else if (v instanceof String[] a) {
            out.addAll(List.of(a));
        } else if (v instanceof Collection<?> c) {
            c.forEach(x -> out.add(String.valueOf(x)));
        }
        return out;
    }
}
