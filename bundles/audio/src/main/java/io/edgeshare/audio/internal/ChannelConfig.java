package io.edgeshare.audio.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * One live audio channel (factory PID {@value FifoAudioChannel#FACTORY_PID}, one configuration per
 * channel). Every key can change at runtime without disconnecting listeners; a new playlist, pipe or
 * break schedule takes effect at the next song boundary.
 */
@ObjectClassDefinition(name = "EdgeShare audio channel", description = "A FIFO audio channel nearby listeners join")
public @interface ChannelConfig {

    @AttributeDefinition(name = "Channel id", description = "Used in URLs: /audio/{id}; letters, digits, '-', '_'")
    String id() default "main";

    @AttributeDefinition(name = "Display name", description = "icy-name; the id when empty")
    String name() default "";

    @AttributeDefinition(name = "Playlist", description = "A directory of MP3 files or an M3U file; "
            + "empty: ${edgeshare.instance.dir}/data/music")
    String playlist() default "";

    @AttributeDefinition(name = "Named pipe", description = "A FIFO a local player writes MP3 into; "
            + "when set it is the channel's programme instead of the playlist")
    String pipe_path() default "";

    @AttributeDefinition(name = "Shuffle")
    boolean shuffle() default false;

    @AttributeDefinition(name = "Repeat", description = "Start the playlist over when it ends")
    boolean repeat() default true;

    @AttributeDefinition(name = "Buffer length (ms)", description = "Audio the FIFO holds; a listener further "
            + "behind than this is dropped")
    int buffer_ms() default 5000;

    @AttributeDefinition(name = "Start threshold (ms)", description = "Fill the FIFO must reach before sending starts")
    int start_threshold_ms() default 1000;

    @AttributeDefinition(name = "Initial burst (ms)", description = "Audio a new listener gets at once from the "
            + "FIFO so playback starts immediately")
    int burst_ms() default 2000;

    @AttributeDefinition(name = "Chunk length (ms)", description = "Granularity of the FIFO and of sending: "
            + "each listener is written once per chunk, so longer chunks cost less CPU per listener")
    int chunk_ms() default 400;

    @AttributeDefinition(name = "Admission", options = { @Option(value = "open", label = "Open"),
            @Option(value = "capped", label = "Capped at max listeners"),
            @Option(value = "approve", label = "Owner approves each request") })
    String admission_mode() default "open";

    @AttributeDefinition(name = "Max listeners", description = "0 = no limit; used by capped and approve modes")
    int max_listeners() default 0;

    @AttributeDefinition(name = "Owner token", type = AttributeType.PASSWORD, description = "Bearer token that "
            + "approves join requests; when empty only loopback clients (the gateway itself) may approve")
    String owner_token() default "";

    @AttributeDefinition(name = "Breaks directory", description = "Interstitial clips (news, ads); empty: none")
    String breaks_dir() default "";

    @AttributeDefinition(name = "Break every N songs", description = "0 = no breaks, 1 = at every song switch")
    int breaks_every() default 0;

    @AttributeDefinition(name = "Library", description = "Extra directory searched by on-demand requests "
            + "(the playlist's files are always searched)")
    String library_dir() default "";

    @AttributeDefinition(name = "Network catalog URL", description = "HTTP catalog searched when a requested "
            + "track is not in the library: GET {url}?q={query}; empty: none")
    String catalog_url() default "";

    @AttributeDefinition(name = "Allowed URL prefixes", description = "URL prefixes the network catalog and its "
            + "downloads may come from, e.g. https://music.example.com/; empty: the network catalog is not used")
    String[] origin_allowed_prefixes() default {};

    @AttributeDefinition(name = "Download quota", description = "Bytes the network catalog's downloads may use; "
            + "the least recently played are deleted beyond it", min = "1048576")
    long downloads_quota_bytes() default 256L * 1024 * 1024;

    @AttributeDefinition(name = "Max queued requests")
    int max_queue() default 20;

    @AttributeDefinition(name = "ICY metadata interval", description = "Audio bytes between metadata blocks "
            + "for clients that send Icy-MetaData: 1")
    int icy_metaint() default 16000;

    @AttributeDefinition(name = "Fill gaps with silence", description = "Keep listeners connected with silent "
            + "frames when there is nothing to play or the pipe stalls")
    boolean silence_fill() default true;
}
