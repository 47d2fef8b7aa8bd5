package io.edgeshare.platform.fleet.internal;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.edgeshare.platform.session.SessionListener;
import io.edgeshare.platform.session.internal.MqttPlatformSession;
import io.edgeshare.platform.store.internal.JdbcFleetStore;
import io.edgeshare.platform.store.internal.StoreConfig;

/**
 * One platform node in its own JVM, for {@link TwoNodeFailoverIT}: the real session (cluster.shared), store and
 * fleet service, configured as an operator would (node.id, broker.uri, the store's url). Prints CONNECTED and
 * LEADER lines; runs until killed, at most 10 minutes.
 * Arguments: nodeId brokerUri jdbcUrl dbUser dbPassword
 */
public final class PlatformNodeMain {
    private PlatformNodeMain() {
    }

    public static void main(String[] args) throws Exception {
        JdbcFleetStore store = new JdbcFleetStore(FleetFixtures.config(StoreConfig.class, Map.of("url", args[2],
                "username", args[3], "password", args[4])), null);
        MqttPlatformSession session = FleetFixtures.session(Map.of("broker.uri", args[1], "node.id", args[0],
                "cluster.shared", true));
        session.addListener(new SessionListener() {
            @Override
            public void connected() {
                System.out.println("CONNECTED " + args[0]);
            }

            @Override
            public void leadership(boolean leader) {
                System.out.println("LEADER " + args[0] + " " + leader);
            }
        });
        MqttFleetService fleet = new MqttFleetService(FleetFixtures.fleetConfig(Map.of()), store, session);
        System.out.println("STARTED " + args[0]);
        new CountDownLatch(1).await(10, TimeUnit.MINUTES);
        fleet.deactivate();
        session.close();
        store.close();
    }
}
