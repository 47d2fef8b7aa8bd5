/** Telemetry: what each bundle reports upward (bytes served, listeners, stations...). */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.edgeshare.api.telemetry;
