package io.edgeshare.platform.store.internal;

import java.time.Instant;
import java.util.List;

import io.edgeshare.api.ap.GeoLocation;
import io.edgeshare.api.fleet.CatalogItem;
import io.edgeshare.api.fleet.CatalogUpdate;
import io.edgeshare.api.fleet.GatewayBirth;

/**
 * Run in a separate JVM by {@link StoreCrashRecoveryTest}, which kills it with SIGKILL: writes births, reports and
 * catalogs back to back from several threads, announcing each acknowledged write on stdout.
 */
public final class CrashWriterMain {

    private CrashWriterMain() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String run = args[1];
        JdbcFleetStore store = new JdbcFleetStore(Database.open(url, "", "", 4));
        Thread[] writers = new Thread[4];
        for (int w = 0; w < writers.length; w++) {
            int writer = w;
            writers[w] = new Thread(() -> {
                for (int i = 0;; i++) {
                    String id = "gw-" + run + "-" + writer + "-" + i;
                    Instant at = Instant.ofEpochMilli(1_700_000_000_000L + i);
                    store.birth(new GatewayBirth(id, i + 1, at, "m", "home-gateway", "f", new GeoLocation(45, 5),
                            "http://x/", List.of("cache")));
                    store.report(id, "{\"i\":" + i + "}", at);
                    store.putCatalog(CatalogUpdate.full(id, i, List.of(new CatalogItem("item-" + i, "t", "video/mp4",
                            i, "", "")), at));
                    synchronized (System.out) {
                        System.out.println("ACK " + id + " " + (i + 1));
                        System.out.flush();
                    }
                }
            });
            writers[w].start();
        }
        writers[0].join();
    }
}
