/**
 * The platform's fleet state as a typed store (issue 9): gateways with their births and deaths, last reports,
 * shared-content lists, and policy rollouts with per-device outcomes. Implemented by the platform-store bundle
 * on an embedded database or PostgreSQL; fleet and policy code call it, never SQL.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.3.0")
package io.edgeshare.api.fleet;
