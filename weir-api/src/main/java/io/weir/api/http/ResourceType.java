package io.weir.api.http;

/**
 * What a handler mapping requires to exist on disk; mirrors the {@code resourceType} attribute of
 * {@code system.webServer/handlers/add} and {@code IScriptMapInfo::GetResourceType}.
 */
public enum ResourceType {
    /** 0: the URL must map to an existing file. */
    FILE,
    /** 1: the URL must map to an existing directory. */
    DIRECTORY,
    /** 2: the URL must map to an existing file or directory. */
    EITHER,
    /** 3 (the default): no check on disk, for virtual URLs. */
    UNSPECIFIED
}
