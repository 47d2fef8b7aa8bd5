package io.edgeshare.protocol;

/** The body of {@code cmd/fetch}: bring item {@code id} into the cache; {@code url} and {@code sha256} optional. */
public record FetchCommand(String id, String url, String sha256) {
    public FetchCommand {
        Fields.requiredText("id", id, Fields.MAX_TEXT);
        Fields.httpUrl("url", url);
        Fields.text("sha256", sha256, 128);
    }
}
