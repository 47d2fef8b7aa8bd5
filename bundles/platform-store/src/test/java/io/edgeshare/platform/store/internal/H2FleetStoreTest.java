package io.edgeshare.platform.store.internal;

import java.nio.file.Path;

import org.junit.jupiter.api.io.TempDir;

/** The store on the embedded H2 file, as the platform runs it by default. */
class H2FleetStoreTest extends FleetStoreContract {
    @TempDir
    Path dir;

    @Override
    JdbcFleetStore openFresh() {
        return openSame();
    }

    @Override
    JdbcFleetStore openSame() {
        return new JdbcFleetStore(Database.open(JdbcFleetStore.embeddedUrl(dir.resolve("fleet")), "", "", 8));
    }
}
