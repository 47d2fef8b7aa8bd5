package io.edgeshare.ap.internal;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import javax.jmdns.JmDNS;
import javax.jmdns.ServiceEvent;
import javax.jmdns.ServiceInfo;
import javax.jmdns.ServiceListener;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.edgeshare.api.ap.NearbySharer;

/**
 * DNS-SD on the local network (contract K6): advertises this gateway as {@code _edgeshare._tcp.local.} (instance
 * name = display name, port = HTTP port, TXT {@code id rev channels portal v=1}) and keeps the others it hears.
 * {@link #open} joins the multicast group: call it off the activation thread.
 */
final class MdnsDiscovery implements AutoCloseable {
    static final String TYPE = "_edgeshare._tcp.local.";
    private static final Logger LOG = LoggerFactory.getLogger(MdnsDiscovery.class);

    /** What this gateway advertises. */
    record Advert(String deviceId, String displayName, int port, long revision, List<String> channels,
            String portalUrl) {
        Map<String, String> txt() {
            Map<String, String> t = new LinkedHashMap<>();
            t.put("id", deviceId);
            t.put("rev", Long.toString(revision));
            t.put("channels", String.join(",", channels));
            t.put("portal", portalUrl);
            t.put("v", "1");
            return t;
        }
    }

    private final JmDNS jmdns;
    private final String selfId;
    private final Clock clock;
    private final Map<String, NearbySharer> found = new ConcurrentHashMap<>();
    private ServiceInfo advertised;

    private MdnsDiscovery(JmDNS jmdns, String selfId, Clock clock) {
        this.jmdns = jmdns;
        this.selfId = selfId;
        this.clock = clock;
    }

    /** Binds to {@code address} (null: the host's), starts browsing. */
    static MdnsDiscovery open(InetAddress address, String selfId, Clock clock) throws IOException {
        JmDNS j = address == null ? JmDNS.create() : JmDNS.create(address, "edgeshare-" + selfId);
        MdnsDiscovery d = new MdnsDiscovery(j, selfId, clock);
        j.addServiceListener(TYPE, d.listener());
        LOG.info("edgeshare.ap: DNS-SD on {} browsing {}", j.getInetAddress(), TYPE);
        return d;
    }

    private ServiceListener listener() {
        return new ServiceListener() {
            @Override
            public void serviceAdded(ServiceEvent event) {
                jmdns.requestServiceInfo(event.getType(), event.getName(), 3000);
            }

            @Override
            public void serviceRemoved(ServiceEvent event) {
                found.values().removeIf(s -> s.displayName().equals(event.getName()));
            }

            @Override
            public void serviceResolved(ServiceEvent event) {
                ServiceInfo info = event.getInfo();
                NearbySharer s = toSharer(info.getName(), info::getPropertyString, info.getInetAddresses(),
                        info.getPort(), selfId, clock.instant());
                if (s != null) {
                    found.put(s.deviceId(), s);
                }
            }
        };
    }

    /**
     * A sharer from a resolved advertisement, or null for one that breaks K6 (no {@code v=1}, a device id
     * outside {@code [A-Za-z0-9._-]{1,64}}, no address or port) and for our own.
     */
    static NearbySharer toSharer(String name, java.util.function.Function<String, String> txt,
            InetAddress[] addresses, int port, String selfId, java.time.Instant now) {
        String id = txt.apply("id");
        if (id == null || !id.matches("[A-Za-z0-9._-]{1,64}") || id.equals(selfId) || !"1".equals(txt.apply("v"))) {
            return null;
        }
        InetAddress addr = null;
        for (InetAddress a : addresses) {
            if (addr == null || (a instanceof Inet4Address && !(addr instanceof Inet4Address))) {
                addr = a;
            }
        }
        if (addr == null || port <= 0 || port > 65535) {
            return null;
        }
        String host = addr instanceof Inet4Address ? addr.getHostAddress() : "[" + addr.getHostAddress() + "]";
        return new NearbySharer(id, name, "", "http://" + host + ":" + port, Double.NaN,
                List.of(), Set.of(NearbySharer.SOURCE_MDNS), now);
    }

    /** Advertises, or updates the TXT record when only the figures changed. */
    synchronized void advertise(Advert a) throws IOException {
        if (advertised != null && advertised.getName().equals(a.displayName()) && advertised.getPort() == a.port()) {
            advertised.setText(a.txt());
            return;
        }
        if (advertised != null) {
            jmdns.unregisterService(advertised);
        }
        advertised = ServiceInfo.create(TYPE, a.displayName(), a.port(), 0, 0, a.txt());
        jmdns.registerService(advertised);
        LOG.info("edgeshare.ap: advertising '{}' ({}) on port {} with DNS-SD", a.displayName(), a.deviceId(), a.port());
    }

    /** Sharers heard, newest information per device id. */
    List<NearbySharer> sharers() {
        return new ArrayList<>(found.values());
    }

    @Override
    public void close() {
        try {
            jmdns.unregisterAllServices();
            jmdns.close();
        } catch (IOException e) {
            LOG.debug("DNS-SD close: {}", e.toString());
        }
    }
}
