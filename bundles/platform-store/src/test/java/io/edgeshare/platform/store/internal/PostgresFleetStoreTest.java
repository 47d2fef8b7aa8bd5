package io.edgeshare.platform.store.internal;

import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The same contract on a real PostgreSQL cluster of its own (see {@link LocalPostgres}). */
class PostgresFleetStoreTest extends FleetStoreContract {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresFleetStoreTest.class);
    private static LocalPostgres postgres;
    private String url;

    @BeforeAll
    static void startCluster() throws Exception {
        Optional<Path> bin = LocalPostgres.binaries();
        if (bin.isEmpty()) {
            String why = "PostgreSQL binaries (initdb, pg_ctl) not installed: PostgreSQL tests skipped";
            LOG.warn(why);
            System.err.println(why);
        }
        Assumptions.assumeTrue(bin.isPresent(), "PostgreSQL binaries (initdb, pg_ctl) not installed");
        postgres = LocalPostgres.start(bin.get());
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Override
    JdbcFleetStore openFresh() throws Exception {
        url = postgres.createDatabase();
        return openSame();
    }

    @Override
    JdbcFleetStore openSame() {
        return new JdbcFleetStore(Database.open(url, LocalPostgres.USER, LocalPostgres.PASSWORD, 8));
    }
}
