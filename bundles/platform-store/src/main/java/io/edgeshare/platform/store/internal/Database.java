package io.edgeshare.platform.store.internal;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.postgresql.ds.PGSimpleDataSource;
import org.h2.jdbcx.JdbcDataSource;

import io.edgeshare.api.fleet.FleetStoreException;

/**
 * Runs units of work as transactions on pooled connections. A transaction that loses a race (unique key taken
 * by a concurrent insert, serialization failure, deadlock) is retried a few times; anything else becomes a
 * {@link FleetStoreException} whose message names the operation, never the SQL or the credentials.
 */
final class Database implements AutoCloseable {
    /** Work inside one transaction; may call {@link Connection#rollback()} to discard it and return a value. */
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private static final int ATTEMPTS = 4;
    private final ConnectionPool pool;
    private final String kind;

    Database(DataSource source, String kind, int poolSize) {
        this.pool = new ConnectionPool(source, poolSize, 30_000);
        this.kind = kind;
    }

    /** Opens (lazily) the database named by a JDBC URL: {@code jdbc:h2:...} or {@code jdbc:postgresql:...}. */
    static Database open(String url, String username, String password, int poolSize) {
        // The drivers' own DataSources, not DriverManager: in OSGi the driver class is then resolved through
        // this bundle's imports instead of the thread context class loader.
        if (url.startsWith("jdbc:h2:")) {
            JdbcDataSource h2 = new JdbcDataSource();
            h2.setURL(url);
            h2.setUser(username);
            h2.setPassword(password);
            return new Database(h2, "h2", poolSize);
        }
        if (url.startsWith("jdbc:postgresql:")) {
            PGSimpleDataSource pg = new PGSimpleDataSource();
            pg.setURL(url);
            if (!username.isEmpty()) {
                pg.setUser(username);
            }
            if (!password.isEmpty()) {
                pg.setPassword(password);
            }
            return new Database(pg, "postgresql", poolSize);
        }
        throw new IllegalArgumentException("unsupported database URL (jdbc:h2: or jdbc:postgresql: expected)");
    }

    /** "h2" or "postgresql". */
    String kind() {
        return kind;
    }

    <T> T transaction(String operation, Work<T> work) {
        SQLException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            Connection c;
            try {
                c = pool.borrow();
            } catch (SQLException e) {
                throw new FleetStoreException(operation + ": database unavailable (" + e.getSQLState() + ")", e);
            }
            boolean broken = false;
            try {
                c.setAutoCommit(false);
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException e) {
                last = e;
                broken = !rollback(c) || isConnectionLoss(e);
                if (!isRetryable(e)) {
                    break;
                }
            } finally {
                pool.giveBack(c, broken);
            }
        }
        throw new FleetStoreException(operation + " failed (SQLState " + last.getSQLState() + ")", last);
    }

    private static boolean rollback(Connection c) {
        try {
            c.rollback();
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    /**
     * Unique violation (a concurrent insert won), foreign-key violation (a concurrent decommission removed the
     * gateway a report was being written for), serialization failure, deadlock (the same codes in both), and H2's
     * lock timeout (HYT00: a concurrent transaction held the row longer than H2 waits).
     */
    private static boolean isRetryable(SQLException e) {
        String s = e.getSQLState();
        return "23505".equals(s) || "23503".equals(s) || "40001".equals(s) || "40P01".equals(s) || "HYT00".equals(s)
                || isConnectionLoss(e);
    }

    private static boolean isConnectionLoss(SQLException e) {
        String s = e.getSQLState();
        return s != null && s.startsWith("08");
    }

    @Override
    public void close() {
        pool.close();
    }
}
