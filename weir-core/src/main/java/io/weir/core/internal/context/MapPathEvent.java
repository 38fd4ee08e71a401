package io.weir.core.internal.context;

import io.weir.api.provider.MapPathProvider;
import java.nio.file.Path;
import java.util.Objects;

/** MAP_PATH's provider for one URL-to-path mapping; the path is overridable. On the request's event loop. */
final class MapPathEvent implements MapPathProvider {
    private final String url;
    private Path path;
    private ResponseImpl response;

    /**
     * Raises MAP_PATH for a mapping when some module subscribed to it.
     *
     * @return the path, as the modules left it
     */
    static Path raise(PipelineControl pipeline, ResponseImpl response, String url, Path mapped) {
        if (pipeline == null || !pipeline.notifications().hasMapPathModules()) {
            return mapped;
        }
        MapPathEvent event = new MapPathEvent(url, mapped);
        event.response = response;
        pipeline.notifications().mapPath(event);
        return event.path;
    }

    MapPathEvent(String url, Path path) {
        this.url = url;
        this.path = path;
    }

    @Override
    public String url() {
        return url;
    }

    @Override
    public Path physicalPath() {
        return path;
    }

    @Override
    public void setPhysicalPath(Path newPath) {
        this.path = Objects.requireNonNull(newPath, "path");
    }

    /** Records the error with the status while the headers are unsent, as {@code HttpContext.setErrorStatus} does. */
    @Override
    public void setErrorStatus(Throwable error) {
        if (response != null) {
            RequestErrors.recordErrorStatus(response, error);
        }
    }
}
