/** Sharing policies pushed by the platform and applied at runtime (claim C2). */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package io.edgeshare.api.policy;
