package io.edgeshare.platform.store.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the schema to the newest version: numbered SQL files applied in order, each recorded in
 * {@code schema_version}, the same files for H2 and PostgreSQL.
 *
 * <p>Why not Flyway or Liquibase: Flyway finds migrations by class path scanning, which in OSGi has a long
 * record of missing another bundle's resources (flyway/flyway#1007, #1098, #1227, #2198) and was not tried here;
 * Liquibase brings a large dependency set of its own to resolve in the runtime. Two small SQL files applied in
 * order, with a version table, need neither.
 *
 * <p>Nodes that start together serialise on a lock row. PostgreSQL applies a file atomically with its
 * version row; H2 commits each DDL statement on its own, so every statement is written to be harmless when
 * it runs again ({@code IF NOT EXISTS}, guarded inserts) and a crash halfway is repaired by the next start.
 */
final class Migrations {
    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);
    /** In order; a file is never edited once released, a change is a new file. */
    static final List<String> FILES = List.of("V1__fleet.sql", "V2__rollouts.sql", "V3__rollout_plans.sql",
            "V4__report_history.sql");

    private final Clock clock;

    Migrations(Clock clock) {
        this.clock = clock;
    }

    /** @return the schema version now in place */
    int apply(Database db) {
        db.transaction("create schema_version", c -> {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INT PRIMARY KEY, "
                        + "description VARCHAR(200) NOT NULL, applied_at BIGINT NOT NULL)");
            }
            return null;
        });
        return db.transaction("migrate", c -> {
            lock(c);
            int current = currentVersion(c);
            for (int v = current + 1; v <= FILES.size(); v++) {
                String file = FILES.get(v - 1);
                for (String sql : statements(read(file))) {
                    try (Statement s = c.createStatement()) {
                        s.execute(sql);
                    }
                }
                try (PreparedStatement p = c.prepareStatement(
                        "INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)")) {
                    p.setInt(1, v);
                    p.setString(2, file);
                    p.setLong(3, clock.millis());
                    p.executeUpdate();
                }
                LOG.info("edgeshare.platform.store: schema migrated to version {} ({})", v, file);
                current = v;
            }
            return current;
        });
    }

    /** Row 0 is the lock: its row lock is held until this transaction ends. */
    private static void lock(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO schema_version (version, description, applied_at) SELECT 0, 'lock', 0 "
                    + "WHERE NOT EXISTS (SELECT 1 FROM schema_version WHERE version = 0)");
            s.executeQuery("SELECT version FROM schema_version WHERE version = 0 FOR UPDATE").close();
        }
    }

    private static int currentVersion(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT MAX(version) FROM schema_version")) {
            r.next();
            return r.getInt(1);
        }
    }

    private static String read(String file) throws SQLException {
        try (InputStream in = Migrations.class.getResourceAsStream("migrations/" + file)) {
            if (in == null) {
                throw new SQLException("migration " + file + " missing from the bundle");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SQLException("migration " + file + " unreadable", e);
        }
    }

    /** Statements end with ';' at the end of a line; lines starting with '--' are comments. */
    static List<String> statements(String script) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.split("\n")) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("--")) {
                continue;
            }
            current.append(line).append('\n');
            if (t.endsWith(";")) {
                String statement = current.toString().strip();
                out.add(statement.substring(0, statement.length() - 1));
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            out.add(current.toString().strip());
        }
        return out;
    }
}
