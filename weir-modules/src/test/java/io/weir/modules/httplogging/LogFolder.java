package io.weir.modules.httplogging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/** Reads back the W3C files of the tests' site (id 7) under a logFile directory. */
record LogFolder(Path logs) {

    /** @return {@code <logs>/W3SVC7} */
    Path folder() {
        return logs.resolve("W3SVC7");
    }

    /** @return the file names in the site's folder, sorted */
    List<String> files() {
        try (Stream<Path> s = Files.list(folder())) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return every line of a file, directives included, each of which ended with CR LF */
    List<String> lines(String file) {
        try {
            String text = Files.readString(folder().resolve(file), StandardCharsets.UTF_8);
            if (text.isEmpty()) {
                return List.of();
            }
            if (!text.endsWith("\r\n")) {
                throw new AssertionError(file + " does not end with CR LF");
            }
            String[] parts = text.split("\r\n", -1);
            return Arrays.asList(parts).subList(0, parts.length - 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the entry lines (no directives) of every file, in file order */
    List<String> entries() {
        return files().stream()
                .flatMap(f -> lines(f).stream())
                .filter(l -> !l.startsWith("#"))
                .toList();
    }
}
