package io.edgeshare.metrics.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The client addresses allowed to read an operator endpoint, parsed once. Only IP literals are accepted (a
 * host name would make every request wait on DNS); {@code *} allows anyone.
 */
record AdminAddresses(boolean anyone, Set<InetAddress> allowed) {

    static AdminAddresses parse(String list) {
        Set<InetAddress> out = new LinkedHashSet<>();
        boolean any = false;
        for (String raw : list == null ? new String[0] : list.split(",")) {
            String s = raw.trim();
            if (s.isEmpty()) {
                continue;
            }
            if (s.equals("*")) {
                any = true;
                continue;
            }
            InetAddress a = literal(s);
            if (a == null) {
                throw new IllegalArgumentException("not an IP address: " + s);
            }
            out.add(a);
        }
        return new AdminAddresses(any, Set.copyOf(out));
    }

    boolean admits(String remoteAddress) {
        if (anyone) {
            return true;
        }
        InetAddress a = remoteAddress == null ? null : literal(remoteAddress);
        return a != null && allowed.contains(a);
    }

    /** Parses an IPv4 or IPv6 literal without a name lookup; null for anything else. */
    static InetAddress literal(String s) {
        String t = s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
        int zone = t.indexOf('%');
        if (zone >= 0) {
            t = t.substring(0, zone);
        }
        boolean v4 = t.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean v6 = t.contains(":") && t.matches("[0-9A-Fa-f:.]+");
        if (!v4 && !v6) {
            return null;
        }
        try {
            return InetAddress.getByName(t);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
