package io.edgeshare.client;

import java.net.InetAddress;
import java.util.Map;

import javax.jmdns.JmDNS;
import javax.jmdns.ServiceInfo;

/**
 * A gateway's DNS-SD advertisement exactly as K6 fixes it, run as its own process (inside a network
 * namespace) by {@link MdnsDiscoveryIT}: {@code ADDRESS NAME PORT DEVICE-ID}. Stops when stdin closes.
 */
public final class MdnsAdvertiser {
    private MdnsAdvertiser() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[2]);
        try (JmDNS dns = JmDNS.create(InetAddress.getByName(args[0]), "advertiser")) {
            dns.registerService(ServiceInfo.create(Discovery.SERVICE_TYPE, args[1], port, 0, 0,
                    Map.of("id", args[3], "rev", "3", "channels", "main,lobby", "portal",
                            "http://" + args[0] + ":" + port + "/", "v", "1")));
            System.out.println("registered");
            System.out.flush();
            while (System.in.read() >= 0) {
                // runs until the test closes our stdin
            }
        }
    }
}
