package io.edgeshare.client;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

import com.google.gson.GsonBuilder;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code discover}: which sharers are around, from mDNS, a gateway's nearby list, or URLs. */
@Command(name = "discover", description = { "List sharers: the gateway and the sharers nearby it lists, the "
        + "gateways advertising _edgeshare._tcp on this network (--mdns), or the URLs given." })
final class DiscoverCommand implements Callable<Integer> {
    @ParentCommand
    Main common;

    @Spec
    CommandSpec spec;

    @Option(names = "--mdns", description = "Also ask the local network with DNS-SD (mDNS)")
    boolean mdns;

    @Option(names = "--mdns-only", description = "Only ask the local network, not the gateway")
    boolean mdnsOnly;

    @Option(names = "--interface", paramLabel = "ADDRESS", description = "The local address to ask mDNS on")
    String bind;

    @Option(names = "--wait", paramLabel = "MS", defaultValue = "3000", description = "How long mDNS listens "
            + "(default: ${DEFAULT-VALUE})")
    long waitMs;

    @Option(names = "--json", description = "Print a JSON array")
    boolean json;

    @Parameters(paramLabel = "URL", arity = "0..*", description = "Sharers to check directly")
    List<String> urls = new ArrayList<>();

    @Override
    public Integer call() throws ClientException {
        GatewayHttp http = common.http();
        Discovery discovery = new Discovery(http);
        Map<String, Sharer> found = new LinkedHashMap<>();
        ClientException firstFailure = null;
        if (!mdnsOnly) {
            for (String url : urls.isEmpty() ? List.of(common.gateway()) : urls) {
                try {
                    add(found, discovery.gateway(url));
                    discovery.nearbyOf(url).forEach(s -> add(found, s));
                } catch (ClientException e) {
                    firstFailure = firstFailure == null ? e : firstFailure;
                }
            }
        }
        if (mdns || mdnsOnly) {
            discovery.mdns(address(), waitMs).forEach(s -> add(found, s));
        }
        if (found.isEmpty() && firstFailure != null) {
            throw firstFailure;
        }
        print(new ArrayList<>(found.values()));
        return found.isEmpty() ? ExitCode.NOT_FOUND : ExitCode.OK;
    }

    private InetAddress address() throws ClientException {
        try {
            return bind == null ? null : InetAddress.getByName(bind);
        } catch (UnknownHostException e) {
            throw new ClientException(ExitCode.USAGE, "--interface: not an address: " + bind);
        }
    }

    /** The same sharer seen twice (by URL, in a list, by mDNS) is one line with every source. */
    private static void add(Map<String, Sharer> found, Sharer s) {
        String key = s.deviceId().isEmpty() ? s.baseUrl() : s.deviceId();
        Sharer before = found.get(key);
        if (before == null) {
            found.put(key, s);
            return;
        }
        Set<String> sources = new LinkedHashSet<>(before.sources());
        sources.addAll(s.sources());
        double d = Double.isNaN(before.distanceM()) ? s.distanceM() : before.distanceM();
        found.put(key, new Sharer(before.deviceId(), before.name(), before.baseUrl(), d, sources,
                before.contentIds().isEmpty() ? s.contentIds() : before.contentIds(),
                before.channels().isEmpty() ? s.channels() : before.channels()));
    }

    private void print(List<Sharer> sharers) {
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            List<Map<String, Object>> list = new ArrayList<>();
            for (Sharer s : sharers) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("deviceId", s.deviceId());
                m.put("name", s.name());
                m.put("baseUrl", s.baseUrl());
                m.put("distanceM", Double.isNaN(s.distanceM()) ? null : Math.round(s.distanceM()));
                m.put("sources", s.sources());
                m.put("contentIds", s.contentIds());
                m.put("channels", s.channels());
                list.add(m);
            }
            out.println(new GsonBuilder().serializeNulls().disableHtmlEscaping().create().toJson(list));
            return;
        }
        for (Sharer s : sharers) {
            out.println(String.format(Locale.ROOT, "%-24s %-20s %8s  %-18s %s", s.name(), s.deviceId(),
                    Double.isNaN(s.distanceM()) ? "?" : Math.round(s.distanceM()) + " m",
                    String.join(",", s.sources()), s.baseUrl()));
        }
    }
}
