/** Content sharing: the shared-content catalog (claims A4, A5, A7). */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package io.edgeshare.api.cache;
