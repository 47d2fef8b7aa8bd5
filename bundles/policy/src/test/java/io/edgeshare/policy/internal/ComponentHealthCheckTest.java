package io.edgeshare.policy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.util.promise.Promise;

class ComponentHealthCheckTest {

    /** DS as DTOs: one description per component, its configurations editable by the test. */
    static final class FakeScr implements ServiceComponentRuntime {
        final Map<ComponentDescriptionDTO, List<ComponentConfigurationDTO>> components = new LinkedHashMap<>();

        ComponentConfigurationDTO add(String name, String[] pids, String servicePid, int state, Long generation) {
            ComponentDescriptionDTO d = new ComponentDescriptionDTO();
            d.name = name;
            d.configurationPid = pids;
            ComponentConfigurationDTO c = new ComponentConfigurationDTO();
            c.state = state;
            c.properties = new HashMap<>();
            c.properties.put("service.pid", servicePid);
            if (generation != null) {
                c.properties.put(ConfigPlan.GENERATION_KEY, generation);
            }
            components.put(d, new ArrayList<>(List.of(c)));
            return c;
        }

        @Override
        public Collection<ComponentDescriptionDTO> getComponentDescriptionDTOs(Bundle... bundles) {
            return components.keySet();
        }

        @Override
        public ComponentDescriptionDTO getComponentDescriptionDTO(Bundle bundle, String name) {
            return null;
        }

        @Override
        public Collection<ComponentConfigurationDTO> getComponentConfigurationDTOs(ComponentDescriptionDTO d) {
            return components.get(d);
        }

        @Override
        public boolean isComponentEnabled(ComponentDescriptionDTO d) {
            return true;
        }

        @Override
        public Promise<Void> enableComponent(ComponentDescriptionDTO d) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Promise<Void> disableComponent(ComponentDescriptionDTO d) {
            throw new UnsupportedOperationException();
        }
    }

    private final FakeScr scr = new FakeScr();
    private final ComponentHealthCheck check = new ComponentHealthCheck(scr, null, List.of());

    @Test
    void healthyOnceEveryWatchedComponentCarriesTheNewGeneration() throws Exception {
        ComponentConfigurationDTO cache = scr.add("cache", new String[] { "edgeshare.cache" }, "edgeshare.cache",
                ComponentConfigurationDTO.ACTIVE, 1L);
        ComponentConfigurationDTO channel = scr.add("channel", new String[] { "edgeshare.audio.channel" },
                "edgeshare.audio.channel~main", ComponentConfigurationDTO.ACTIVE, null);
        scr.add("uplink", new String[] { "edgeshare.identity", "edgeshare.uplink" }, null,
                ComponentConfigurationDTO.ACTIVE, null).properties.put("service.pid",
                        new String[] { "edgeshare.identity", "edgeshare.uplink" });
        HealthCheck.Probe probe = check.start(Set.of("edgeshare.cache", "edgeshare.audio.channel~main", "edgeshare.uplink"));
        assertEquals(3, probe.watching().split("\\), ").length, probe.watching());
        cache.properties.put(ConfigPlan.GENERATION_KEY, 2L);
        channel.properties.put(ConfigPlan.GENERATION_KEY, 2L);
        String problem = probe.await(2, Duration.ofMillis(100));
        assertTrue(problem.contains("uplink (edgeshare.uplink) has not taken generation 2 yet"), problem);
        scr.components.entrySet().stream().filter(e -> e.getKey().name.equals("uplink")).findFirst().orElseThrow()
                .getValue().get(0).properties.put(ConfigPlan.GENERATION_KEY, 2L);
        assertEquals("", probe.await(2, Duration.ofMillis(100)));
    }

    @Test
    void aComponentThatFailedToActivateWithTheChangeFailsAtOnce() throws Exception {
        ComponentConfigurationDTO cache = scr.add("cache", new String[] { "edgeshare.cache" }, "edgeshare.cache",
                ComponentConfigurationDTO.ACTIVE, 1L);
        HealthCheck.Probe probe = check.start(Set.of("edgeshare.cache"));
        cache.state = ComponentConfigurationDTO.FAILED_ACTIVATION;
        cache.failure = "java.lang.IllegalArgumentException: quota";
        cache.properties.put(ConfigPlan.GENERATION_KEY, 2L);
        long t0 = System.nanoTime();
        String problem = probe.await(2, Duration.ofSeconds(5));
        assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(1).toNanos(), "no need to wait for the timeout");
        assertEquals("cache (edgeshare.cache) failed to activate: java.lang.IllegalArgumentException: quota", problem);
    }

    @Test
    void aComponentBrokenBeforeTheChangeDoesNotCount() throws Exception {
        scr.add("cache", new String[] { "edgeshare.cache" }, "edgeshare.cache",
                ComponentConfigurationDTO.UNSATISFIED_REFERENCE, null);
        HealthCheck.Probe probe = check.start(Set.of("edgeshare.cache"));
        assertEquals("no component", probe.watching());
        assertEquals("", probe.await(2, Duration.ofMillis(50)));
    }

    /** Without an ap bundle nothing reads edgeshare.ap: the policy must not be reported applied. */
    @Test
    void accessPointKeysWithoutAnApBundleAreRefusedAtOnce() throws Exception {
        scr.add("cache", new String[] { "edgeshare.cache" }, "edgeshare.cache", ComponentConfigurationDTO.ACTIVE, 2L);
        HealthCheck.Probe probe = check.start(Set.of("edgeshare.cache", "edgeshare.ap"));
        long t0 = System.nanoTime();
        String problem = probe.await(2, Duration.ofSeconds(5));
        assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(1).toNanos(), "no need to wait for the timeout");
        assertEquals("no ap bundle applies edgeshare.ap: the access point settings cannot take effect on this gateway",
                problem);
    }

    @Test
    void factoryConfigurationPidsBelongToTheirFactory() {
        assertTrue(ComponentHealthCheck.configures("edgeshare.audio.channel", "edgeshare.audio.channel~main"));
        assertTrue(ComponentHealthCheck.configures("edgeshare.audio.channel", "edgeshare.audio.channel.3f2a-11"));
        assertTrue(ComponentHealthCheck.configures("edgeshare.cache", "edgeshare.cache"));
        assertTrue(!ComponentHealthCheck.configures("edgeshare.cache", "edgeshare.cachet"));
    }
}
