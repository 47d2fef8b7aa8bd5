/** Access point and nearby sharers (claims A1, A2, A3, A6, A7). */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.2.0")
package io.edgeshare.api.ap;
