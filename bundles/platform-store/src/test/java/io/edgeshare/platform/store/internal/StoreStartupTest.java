package io.edgeshare.platform.store.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.edgeshare.api.ap.GeoLocation;
import io.edgeshare.api.fleet.FleetStoreException;
import io.edgeshare.api.fleet.GatewayBirth;

/** The store starts without its database and uses it once it is there; it never blocks activation. */
@Timeout(180)
class StoreStartupTest {
    private static final String SECRET = "s3cret-not-in-messages";

    private static GatewayBirth birth() {
        return new GatewayBirth("gw-late", 1, Instant.now(), "m", "home-gateway", "f", new GeoLocation(1, 1), "",
                List.of());
    }

    @Test
    void anUnreachableDatabaseDoesNotBlockStartAndFailsCallsCleanly() throws Exception {
        int port = LocalPostgres.freeLoopbackPort(); // nothing listens there
        long t0 = System.nanoTime();
        try (JdbcFleetStore store = new JdbcFleetStore(Database.open("jdbc:postgresql://127.0.0.1:" + port + "/fleet",
                "edgeshare", SECRET, 2))) {
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(2), "construction returned at once");
            FleetStoreException e = assertThrows(FleetStoreException.class, () -> store.birth(birth()));
            for (Throwable t = e; t != null; t = t.getCause()) {
                assertFalse(String.valueOf(t.getMessage()).contains(SECRET), "no password in " + t);
            }
        }
    }

    @Test
    void anUnsupportedUrlIsRefusedWithoutEchoingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Database.open("jdbc:mysql://db/x?password=" + SECRET, "", "", 1));
        assertFalse(e.getMessage().contains(SECRET));
    }

    @Test
    void aDatabaseThatComesUpLaterIsUsed() throws Exception {
        Optional<Path> bin = LocalPostgres.binaries();
        Assumptions.assumeTrue(bin.isPresent(), "PostgreSQL binaries (initdb, pg_ctl) not installed");
        int port = LocalPostgres.freeLoopbackPort();
        try (JdbcFleetStore store = new JdbcFleetStore(Database.open("jdbc:postgresql://127.0.0.1:" + port
                + "/postgres", LocalPostgres.USER, LocalPostgres.PASSWORD, 2))) {
            assertThrows(FleetStoreException.class, () -> store.birth(birth()));
            try (LocalPostgres pg = LocalPostgres.start(bin.get(), port)) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                boolean stored = false;
                while (!stored && System.nanoTime() < deadline) {
                    try {
                        stored = store.birth(birth());
                    } catch (FleetStoreException notYet) {
                        // retried at most every 5 s; waiting on the condition, bounded by the deadline
                        TimeUnit.MILLISECONDS.sleep(200);
                    }
                }
                assertTrue(stored, "the store used the database once it came up");
                assertTrue(store.gateway("gw-late").orElseThrow().online());
            }
        }
    }
}
