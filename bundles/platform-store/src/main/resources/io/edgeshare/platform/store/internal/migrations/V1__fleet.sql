-- V1: the fleet. Times are epoch milliseconds (BIGINT): the same type and the same values in H2 and PostgreSQL.
-- Every statement may run twice (see Migrations): H2 commits DDL one statement at a time.

-- One row; every write that makes a change entry takes its row lock first, so change versions commit in order.
CREATE TABLE IF NOT EXISTS change_counter (
    id INT PRIMARY KEY,
    version BIGINT NOT NULL
);
INSERT INTO change_counter (id, version) SELECT 1, 0 WHERE NOT EXISTS (SELECT 1 FROM change_counter WHERE id = 1);

CREATE TABLE IF NOT EXISTS gateways (
    device_id VARCHAR(64) PRIMARY KEY,
    profile VARCHAR(64) NOT NULL DEFAULT '',
    group_name VARCHAR(64) NOT NULL DEFAULT '',
    model VARCHAR(128) NOT NULL DEFAULT '',
    firmware VARCHAR(128) NOT NULL DEFAULT '',
    latitude DOUBLE PRECISION,
    longitude DOUBLE PRECISION,
    portal_url VARCHAR(2048) NOT NULL DEFAULT '',
    capabilities VARCHAR(4096) NOT NULL DEFAULT '',
    online BOOLEAN NOT NULL DEFAULT FALSE,
    birth_seq BIGINT NOT NULL DEFAULT 0,
    last_seen BIGINT NOT NULL,
    catalog_rev BIGINT NOT NULL DEFAULT -1,
    catalog_birth_seq BIGINT NOT NULL DEFAULT -1,
    catalog_at BIGINT NOT NULL DEFAULT 0,
    version BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS gateways_by_version ON gateways (version);
CREATE INDEX IF NOT EXISTS gateways_by_profile ON gateways (profile, device_id);
CREATE INDEX IF NOT EXISTS gateways_by_location ON gateways (latitude, longitude);

-- A decommissioned gateway: a birth counts again only with a newer sequence number.
CREATE TABLE IF NOT EXISTS decommissioned_gateways (
    device_id VARCHAR(64) PRIMARY KEY,
    last_birth_seq BIGINT NOT NULL,
    decommissioned_at BIGINT NOT NULL,
    version BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS decommissioned_by_version ON decommissioned_gateways (version);

CREATE TABLE IF NOT EXISTS last_reports (
    device_id VARCHAR(64) PRIMARY KEY REFERENCES gateways (device_id) ON DELETE CASCADE,
    received_at BIGINT NOT NULL,
    document VARCHAR(1000000) NOT NULL
);

CREATE TABLE IF NOT EXISTS catalog_items (
    device_id VARCHAR(64) NOT NULL REFERENCES gateways (device_id) ON DELETE CASCADE,
    item_id VARCHAR(256) NOT NULL,
    title VARCHAR(1024) NOT NULL DEFAULT '',
    media_type VARCHAR(256) NOT NULL DEFAULT '',
    size_bytes BIGINT NOT NULL DEFAULT 0,
    sha256 VARCHAR(64) NOT NULL DEFAULT '',
    category VARCHAR(64) NOT NULL DEFAULT '',
    PRIMARY KEY (device_id, item_id)
);
