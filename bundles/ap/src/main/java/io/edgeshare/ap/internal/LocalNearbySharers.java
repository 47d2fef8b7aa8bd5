package io.edgeshare.ap.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.edgeshare.api.ap.AccessPoint;
import io.edgeshare.api.ap.NearbySharer;
import io.edgeshare.api.ap.NearbySharers;
import io.edgeshare.api.audio.AudioChannel;
import io.edgeshare.api.cache.ContentCatalog;

/**
 * The merged nearby list (claims A2, A7): the platform's push (the uplink's {@link NearbySharers}), DNS-SD and
 * the radio's beacon markers. Registered with a higher {@code service.ranking} so the cache and the portal,
 * which take the best-ranked {@link NearbySharers}, get this view; it never references itself
 * ({@code edgeshare.nearby=merged}). Also advertises this gateway with DNS-SD (contract K6).
 */
@Component(configurationPid = { "edgeshare.identity", ApConfig.PID }, immediate = true,
        service = NearbySharers.class, property = { "service.ranking:Integer=100", "edgeshare.nearby=merged" })
public final class LocalNearbySharers implements NearbySharers {
    private static final Logger LOG = LoggerFactory.getLogger(LocalNearbySharers.class);
    private static final long REFRESH_S = 5;

    @Reference(target = "(!(edgeshare.nearby=merged))", cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile NearbySharers platform;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile AccessPoint accessPoint;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile ContentCatalog catalog;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    final List<AudioChannel> channels = new CopyOnWriteArrayList<>();

    private final ScheduledExecutorService worker;
    private final String httpPort;
    private final String httpHost;
    private volatile Settings settings;
    private MdnsDiscovery mdns;
    private String mdnsAddress;

    /** What this component reads from its two configurations. */
    record Settings(String deviceId, String displayName, String portalUrl, boolean mdnsEnabled, String mdnsAddress) {
        static Settings of(IdentityConfig id, ApConfig ap) {
            String device = id.device_id().isEmpty() ? "unknown" : id.device_id();
            return new Settings(device, id.display_name().isBlank() ? device : id.display_name(), id.portal_url(),
                    ap.mdns_enabled(), ap.mdns_address());
        }
    }

    @Activate
    public LocalNearbySharers(BundleContext context, IdentityConfig identity, ApConfig config) {
        this.httpPort = context.getProperty("org.osgi.service.http.port");
        this.httpHost = context.getProperty("org.apache.felix.http.host");
        this.settings = Settings.of(identity, config);
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "edgeshare-ap-nearby"));
        worker.scheduleWithFixedDelay(this::refresh, 0, REFRESH_S, TimeUnit.SECONDS);
    }

    @Modified
    void modified(IdentityConfig identity, ApConfig config) {
        settings = Settings.of(identity, config);
        worker.execute(this::refresh);
    }

    @Override
    public List<NearbySharer> sharers() {
        NearbySharers p = platform;
        AccessPoint ap = accessPoint;
        MdnsDiscovery m;
        synchronized (this) {
            m = mdns;
        }
        return NearbyMerge.merge(p == null ? List.of() : p.sharers(), m == null ? List.of() : m.sharers(),
                ap == null ? List.of() : ap.sharersInRange(), settings.deviceId());
    }

    /** On the worker: (re)opens DNS-SD when its settings changed, and keeps the advertisement current. */
    private void refresh() {
        Settings s = settings;
        try {
            synchronized (this) {
                if (mdns != null && (!s.mdnsEnabled() || !s.mdnsAddress().equals(mdnsAddress))) {
                    mdns.close();
                    mdns = null;
                }
                if (mdns == null && s.mdnsEnabled()) {
                    InetAddress bind = bindAddress(s);
                    mdns = MdnsDiscovery.open(bind, s.deviceId(), Clock.systemUTC());
                    mdnsAddress = s.mdnsAddress();
                }
            }
            MdnsDiscovery m = mdns;
            if (m != null && httpPort != null && httpPort.matches("\\d{1,5}")) {
                m.advertise(advert(s, Integer.parseInt(httpPort)));
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("edgeshare.ap: DNS-SD unavailable: {}", e.toString());
        }
    }

    /**
     * {@code mdns.address}, else the address the HTTP server listens on (the launcher binds 127.0.0.1 unless
     * told to serve the Wi-Fi side), else JmDNS's choice; DNS-SD is announced where the service is reachable.
     */
    private InetAddress bindAddress(Settings s) throws IOException {
        String a = !s.mdnsAddress().isEmpty() ? s.mdnsAddress()
                : httpHost != null && !httpHost.isBlank() && !httpHost.equals("0.0.0.0") && !httpHost.equals("::")
                        ? httpHost : "";
        return a.isEmpty() ? null : InetAddress.getByName(a);
    }

    private MdnsDiscovery.Advert advert(Settings s, int port) {
        ContentCatalog c = catalog;
        long rev = c == null ? 0 : c.revision();
        List<String> ids = new ArrayList<>();
        for (AudioChannel ch : channels) {
            ids.add(ch.id());
        }
        return new MdnsDiscovery.Advert(s.deviceId(), s.displayName(), port, rev, ids, s.portalUrl());
    }

    @Deactivate
    void deactivate() {
        worker.shutdownNow();
        try {
            worker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            if (mdns != null) {
                mdns.close();
                mdns = null;
            }
        }
    }
}
