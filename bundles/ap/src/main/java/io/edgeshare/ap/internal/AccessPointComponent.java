package io.edgeshare.ap.internal;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.edgeshare.api.ap.AccessPoint;
import io.edgeshare.api.ap.AccessPointEvents;
import io.edgeshare.api.ap.AccessPointStatus;
import io.edgeshare.api.ap.NearbySharer;
import io.edgeshare.api.ap.Station;
import io.edgeshare.api.cache.ContentCatalog;
import io.edgeshare.api.telemetry.TelemetrySnapshot;
import io.edgeshare.api.telemetry.TelemetrySource;
import io.edgeshare.support.InstanceData;

/**
 * The sharing hotspot (claim A1) as an OSGi service. Configuration changes are applied on this component's
 * worker thread without a restart ({@code @Modified}); a radio change that fails leaves the previous setup
 * running and is reported in {@link AccessPointStatus#failure()} with its generation, which the policy's
 * health check reads so the policy reverts.
 */
@Component(configurationPid = { "edgeshare.identity", ApConfig.PID }, immediate = true,
        service = { AccessPoint.class, TelemetrySource.class })
public final class AccessPointComponent implements AccessPoint, TelemetrySource {
    private static final Logger LOG = LoggerFactory.getLogger(AccessPointComponent.class);
    static final String GENERATION_KEY = "edgeshare.policy.generation";

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile EventAdmin eventAdmin;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ContentCatalog catalog;

    private final Path dataDir;
    private final Clock clock;
    private final ScheduledExecutorService worker;
    private final Admission admission;
    private volatile String deviceId;
    private volatile Radio radio;
    private volatile ApSettings current;
    private volatile ApSettings wanted;
    private volatile long failedGeneration;
    private volatile String failure = "";
    private volatile boolean wasUp;
    private volatile List<Station> stations = List.of();
    private volatile List<NearbySharer> seen = List.of();
    private long polls;
    private long markerRevision = Long.MIN_VALUE;
    private ScheduledFuture<?> poller;

    @Activate
    public AccessPointComponent(BundleContext context, ApConfig config, IdentityConfig identity,
            Map<String, Object> properties) {
        this(InstanceData.resolve(context, "radio"),
                Clock.systemDefaultZone(), config, identity, properties);
    }

    AccessPointComponent(Path dataDir, Clock clock, ApConfig config, IdentityConfig identity,
            Map<String, Object> properties) {
        this.dataDir = dataDir;
        this.clock = clock;
        this.admission = new Admission(this::deauthenticateQuietly, this::post);
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "edgeshare-ap"));
        configure(config, identity, properties);
    }

    @Modified
    void modified(ApConfig config, IdentityConfig identity, Map<String, Object> properties) {
        configure(config, identity, properties);
    }

    private void configure(ApConfig config, IdentityConfig identity, Map<String, Object> properties) {
        deviceId = identity.device_id().isEmpty() ? "unknown" : identity.device_id();
        long generation = generation(properties);
        ApSettings s;
        try {
            s = ApSettings.of(config, generation);
        } catch (IllegalArgumentException e) {
            failedGeneration = generation;
            failure = "invalid configuration: " + e.getMessage();
            LOG.error("edgeshare.ap: {} (generation {}); the previous setup stays", failure, generation);
            return;
        }
        wanted = s;
        worker.execute(() -> apply(s));
    }

    static long generation(Map<String, Object> properties) {
        Object g = properties.get(GENERATION_KEY);
        try {
            return g == null ? 0 : Long.parseLong(String.valueOf(g));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** On the worker thread: chooses the backend (loudly), then brings the radio to the wanted settings. */
    private void apply(ApSettings s) {
        if (s != wanted) {
            return; // a newer configuration is queued
        }
        ApSettings before = current;
        try {
            Radio r = radio;
            if (r == null || !r.name().equals(s.backend())) {
                if (r != null) {
                    r.close();
                    radio = null;
                }
                r = createRadio(s);
                if (r == null) {
                    throw new RadioException("no backend configured: set backend = hostapd or simulated in "
                            + ApConfig.PID);
                }
                radio = r;
            }
            if (before == null || !s.sameRadio(before) || !r.isUp()) {
                SharingMarker m = marker();
                r.apply(s, m);
                markerRevision = m.revision();
            }
            current = s;
            failure = "";
            admission.configure(s);
            enforceOnOff(r, s, "configured");
            LOG.info("edgeshare.ap: applied {}", s);
        } catch (RadioException | RuntimeException e) {
            failedGeneration = s.generation();
            failure = e.getMessage() == null ? e.toString() : e.getMessage();
            LOG.error("edgeshare.ap: generation {} could not be applied, {} keeps running: {}", s.generation(),
                    before == null ? "nothing" : "the previous setup", failure);
        }
        schedulePolls(current == null ? s.pollMs() : current.pollMs());
    }

    private Radio createRadio(ApSettings s) {
        switch (s.backend()) {
            case ApSettings.HOSTAPD -> {
                LOG.warn("edgeshare.ap: backend = hostapd: a real access point on {} (driver {})",
                        s.interfaceName(), s.driver());
                Path conf = s.confDir().isEmpty() ? dataDir : Path.of(s.confDir());
                return new HostapdRadio(conf, () -> worker.execute(this::poll));
            }
            case ApSettings.SIMULATED -> {
                LOG.warn("edgeshare.ap: backend = simulated: NO REAL ACCESS POINT, stations and sharers are made up "
                        + "(the demo); set backend = hostapd on an appliance");
                return new SimulatedRadio(deviceId.hashCode(), clock);
            }
            default -> {
                LOG.warn("edgeshare.ap: no backend configured (backend is empty in {}): the access point is OFF",
                        ApConfig.PID);
                return null;
            }
        }
    }

    SharingMarker marker() {
        ContentCatalog c = catalog;
        long rev = -1;
        if (c != null) {
            try {
                rev = c.revision();
            } catch (RuntimeException e) {
                LOG.debug("catalog revision unavailable: {}", e.toString());
            }
        }
        return new SharingMarker(deviceId.matches("[A-Za-z0-9._-]{1,64}") ? deviceId : "unknown", rev);
    }

    private synchronized void schedulePolls(long pollMs) {
        if (poller == null) {
            poller = worker.scheduleWithFixedDelay(this::poll, pollMs, pollMs, TimeUnit.MILLISECONDS);
        }
    }

    /** On the worker thread: on.hours, station changes, admission, AP up/down events, radio sightings. */
    void poll() {
        Radio r = radio;
        ApSettings s = current;
        if (r == null || s == null) {
            return;
        }
        try {
            enforceOnOff(r, s, "hours");
            boolean up = r.isUp();
            if (up != wasUp) {
                wasUp = up;
                post(up ? AccessPointEvents.AP_UP : AccessPointEvents.AP_DOWN,
                        Map.of(AccessPointEvents.SSID, s.broadcastSsid(), AccessPointEvents.REASON, up ? "" : "down"));
                LOG.info("edgeshare.ap: access point '{}' is {}", s.broadcastSsid(), up ? "up" : "down");
            }
            stations = admission.review(r.stations());
            if (polls++ % 10 == 0) {
                seen = sightingsAsSharers(r.sightings());
                SharingMarker m = marker();
                if (m.revision() != markerRevision) {
                    r.refreshMarker(m);
                    markerRevision = m.revision();
                }
            }
        } catch (RadioException | RuntimeException e) {
            LOG.debug("edgeshare.ap: poll failed: {}", e.toString());
        }
    }

    private void enforceOnOff(Radio r, ApSettings s, String why) throws RadioException {
        boolean shouldServe = s.enabled() && s.hours().isOn(LocalTime.now(clock));
        if (shouldServe && !r.isUp()) {
            r.up();
        } else if (!shouldServe && r.isUp()) {
            r.down();
            LOG.info("edgeshare.ap: access point off ({})", s.enabled() ? "outside on.hours" : "enabled = false");
        }
    }

    private List<NearbySharer> sightingsAsSharers(List<Radio.RadioSighting> sightings) {
        Instant now = clock.instant();
        List<NearbySharer> out = new ArrayList<>();
        for (Radio.RadioSighting x : sightings) {
            if (!x.deviceId().isEmpty() && !x.deviceId().equals(deviceId)) {
                out.add(new NearbySharer(x.deviceId(), x.deviceId(), x.ssid(), "", Double.NaN, List.of(),
                        java.util.Set.of(NearbySharer.SOURCE_RADIO), now));
            }
        }
        return List.copyOf(out);
    }

    @Override
    public List<NearbySharer> sharersInRange() {
        return seen;
    }

    private void post(String topic, Map<String, ?> props) {
        EventAdmin ea = eventAdmin;
        if (ea != null) {
            ea.postEvent(new Event(topic, new HashMap<>(props)));
        }
    }

    @Override
    public AccessPointStatus status() {
        ApSettings s = current;
        Radio r = radio;
        String backend = r == null ? (wanted == null ? "" : wanted.backend()) : r.name();
        if (s == null) {
            return new AccessPointStatus(backend, AccessPointStatus.FAILED, "", 0, "", false, 0, 0, 0,
                    failedGeneration, failure);
        }
        String state = wasUp ? AccessPointStatus.UP : AccessPointStatus.DOWN;
        return new AccessPointStatus(backend, state, s.broadcastSsid(), s.channel(), s.security(), s.hidden(),
                s.maxStations(), stations.size(), s.generation(), failedGeneration, failure);
    }

    @Override
    public List<Station> stations() {
        return stations;
    }

    @Override
    public boolean disconnect(String mac) {
        return deauthenticate(mac.toLowerCase(java.util.Locale.ROOT), "operator");
    }

    /** Admission turns a station away; its departure event comes from the next review. */
    private boolean deauthenticateQuietly(String mac, String reason) {
        Radio r = radio;
        try {
            return r != null && r.deauthenticate(mac);
        } catch (RadioException e) {
            LOG.warn("edgeshare.ap: could not turn {} away ({}): {}", mac, reason, e.getMessage());
            return false;
        }
    }

    private boolean deauthenticate(String mac, String reason) {
        Radio r = radio;
        if (r == null) {
            return false;
        }
        try {
            boolean done = r.deauthenticate(mac);
            if (done) {
                post(AccessPointEvents.STATION_LEFT, Map.of(AccessPointEvents.MAC, mac, AccessPointEvents.REASON, reason));
            }
            return done;
        } catch (RadioException e) {
            LOG.warn("edgeshare.ap: could not disconnect {}: {}", mac, e.getMessage());
            return false;
        }
    }

    @Override
    public String name() {
        return "ap";
    }

    @Override
    public TelemetrySnapshot snapshot() {
        AccessPointStatus st = status();
        Map<String, Number> m = new HashMap<>();
        m.put("stations", st.stations());
        m.put("stations.max", st.maxStations());
        m.put("admissions.refused", admission.refused());
        m.put("stations.joined", admission.joined());
        m.put("sharers.seen", seen.size());
        m.put("generation.applied", st.appliedGeneration());
        m.put("generation.failed", st.failedGeneration());
        m.put("up", AccessPointStatus.UP.equals(st.state()) ? 1 : 0);
        Map<String, String> l = new HashMap<>();
        l.put("state", st.state());
        l.put("backend", st.backend());
        l.put("ssid", st.ssid());
        l.put("security", st.security());
        if (!st.failure().isEmpty()) {
            l.put("failure", st.failure());
        }
        return new TelemetrySnapshot("ap", clock.instant(), m, l);
    }

    @Deactivate
    void deactivate() {
        worker.shutdownNow();
        try {
            worker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Radio r = radio;
        if (r != null) {
            r.close();
        }
        radio = null;
    }
}
