package io.weir.modules.compression;

import io.weir.api.config.ConfigElement;
import io.weir.api.config.ConfigSectionType;
import java.time.Duration;

/**
 * The part of {@code system.webServer/serverRuntime} that static compression reads: a static file
 * is compressed only once it is requested {@code frequentHitThreshold} times within
 * {@code frequentHitTimePeriod}, as IIS decides what is worth a compressed copy.
 *
 * @param frequentHitThreshold  default 2, at least 1
 * @param frequentHitTimePeriod default 10 seconds
 */
public record ServerRuntimeSection(long frequentHitThreshold, Duration frequentHitTimePeriod) {

    /** Binds {@code system.webServer/serverRuntime} for compression; keep this one instance. */
    public static final ConfigSectionType<ServerRuntimeSection> SECTION =
            ConfigSectionType.of("system.webServer/serverRuntime", ServerRuntimeSection::from);

    /**
     * Binds the merged section with IIS's defaults.
     *
     * @param section the element
     * @return the record
     */
    public static ServerRuntimeSection from(ConfigElement section) {
        return new ServerRuntimeSection(
                Math.max(1, section.longAttribute("frequentHitThreshold", 2)),
                section.timeSpanAttribute("frequentHitTimePeriod", Duration.ofSeconds(10)));
    }
}
