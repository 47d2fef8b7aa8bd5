package io.edgeshare.api.fleet;

import java.time.Instant;

/** A signed policy document as published, under its generation number (see docs/policy.md). */
public record StoredPolicy(long generation, String document, Instant createdAt) {
}
