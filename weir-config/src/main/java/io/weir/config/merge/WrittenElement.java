package io.weir.config.merge;

import io.weir.config.xml.XmlElement;

/**
 * An element as written at one configuration level, with the rank of the file it was written in:
 * 0 for applicationHost.config, then 1, 2, ... for the web.config files from the site's root
 * down. Locks ({@code lockAttributes}, {@code lockElements}, {@code lockItem}, ...) written in a
 * file bind only files of a higher rank: a file may always change what it locked itself, as IIS
 * lets a file configure a section it locks.
 *
 * @param element the element as written
 * @param rank    the rank of its file
 */
public record WrittenElement(XmlElement element, int rank) {}
