/** Live audio channels (claims B1 to B9). */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package io.edgeshare.api.audio;
