package io.edgeshare.platform.store.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

/**
 * At most {@code size} open connections, reused. Connections are opened on demand, so creating the pool never
 * touches the network. A connection handed back as broken is closed instead of reused.
 */
final class ConnectionPool implements AutoCloseable {
    private final DataSource source;
    private final Semaphore permits;
    private final Deque<Connection> idle = new ArrayDeque<>();
    private final long waitMs;
    private boolean closed; // guarded by idle

    ConnectionPool(DataSource source, int size, long waitMs) {
        this.source = source;
        this.permits = new Semaphore(size, true);
        this.waitMs = waitMs;
    }

    Connection borrow() throws SQLException {
        try {
            if (!permits.tryAcquire(waitMs, TimeUnit.MILLISECONDS)) {
                throw new SQLException("no database connection free within " + waitMs + " ms", "08001");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for a database connection", "08001", e);
        }
        try {
            Connection c;
            synchronized (idle) {
                if (closed) {
                    throw new SQLException("the store is closed", "08003");
                }
                c = idle.pollFirst();
            }
            return c != null ? c : source.getConnection();
        } catch (SQLException | RuntimeException e) {
            permits.release();
            throw e;
        }
    }

    void giveBack(Connection c, boolean broken) {
        try {
            boolean keep = !broken;
            synchronized (idle) {
                keep &= !closed;
                if (keep) {
                    idle.addFirst(c);
                }
            }
            if (!keep) {
                closeQuietly(c);
            }
        } finally {
            permits.release();
        }
    }

    @Override
    public void close() {
        synchronized (idle) {
            closed = true;
            idle.forEach(ConnectionPool::closeQuietly);
            idle.clear();
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            // already unusable; nothing more to release
        }
    }
}
