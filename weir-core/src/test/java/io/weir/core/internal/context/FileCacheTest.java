package io.weir.core.internal.context;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.api.http.HttpFileInfo;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file cache never serves stale content: every lookup revalidates against a fresh stat. */
class FileCacheTest {

    @TempDir
    Path dir;

    private final FileCache cache = new FileCache();

    private static String text(HttpFileInfo info) {
        ByteBuffer b = info.fileBuffer().orElseThrow();
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Test
    void cachesSmallFilesAndReturnsTheSameSnapshotWhileUnchanged() throws Exception {
        Path f = Files.writeString(dir.resolve("a.txt"), "hello");
        HttpFileInfo first = cache.lookup(f).orElseThrow();
        assertThat(text(first)).isEqualTo("hello");
        assertThat(cache.lookup(f).orElseThrow()).isSameAs(first);
        assertThat(first.fileBuffer().orElseThrow().isReadOnly()).isTrue();
    }

    @Test
    void anEditOfTheSameSizeIsSeenThroughTheModificationTime() throws Exception {
        Path f = Files.writeString(dir.resolve("a.txt"), "hello");
        Files.setLastModifiedTime(f, FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
        HttpFileInfo before = cache.lookup(f).orElseThrow();
        Files.writeString(f, "world");
        Files.setLastModifiedTime(f, FileTime.from(Instant.parse("2020-01-01T00:00:05Z")));
        HttpFileInfo after = cache.lookup(f).orElseThrow();
        assertThat(text(after)).isEqualTo("world");
        assertThat(after.etag()).isNotEqualTo(before.etag());
    }

    @Test
    void aReplacedFileWithTheSameSizeAndTimeIsSeenThroughItsIdentity() throws Exception {
        FileTime time = FileTime.from(Instant.parse("2021-06-01T12:00:00Z"));
        Path f = Files.writeString(dir.resolve("a.txt"), "one");
        Files.setLastModifiedTime(f, time);
        assertThat(text(cache.lookup(f).orElseThrow())).isEqualTo("one");
        Path tmp = Files.writeString(dir.resolve("a.tmp"), "two");
        Files.setLastModifiedTime(tmp, time);
        Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        assertThat(text(cache.lookup(f).orElseThrow())).isEqualTo("two");
    }

    @Test
    void largeFilesAndDirectoriesHaveMetadataButNoCachedContent() throws Exception {
        Path big = Files.write(dir.resolve("big.bin"), new byte[FileCache.MAX_CACHED_FILE_BYTES + 1]);
        HttpFileInfo info = cache.lookup(big).orElseThrow();
        assertThat(info.size()).isEqualTo(FileCache.MAX_CACHED_FILE_BYTES + 1);
        assertThat(info.fileBuffer()).isEmpty();
        HttpFileInfo folder = cache.lookup(dir).orElseThrow();
        assertThat(folder.isDirectory()).isTrue();
        assertThat(folder.fileBuffer()).isEmpty();
    }

    @Test
    void aDeletedFileIsGone() throws Exception {
        Path f = Files.writeString(dir.resolve("a.txt"), "x");
        assertThat(cache.lookup(f)).isPresent();
        Files.delete(f);
        assertThat(cache.lookup(f)).isEmpty();
        assertThat(cache.lookup(dir.resolve("never"))).isEmpty();
    }

    @Test
    void validatorsAreHttpDates() throws Exception {
        Path f = Files.writeString(dir.resolve("a.txt"), "x");
        Files.setLastModifiedTime(f, FileTime.from(Instant.parse("1994-11-06T08:49:37Z")));
        HttpFileInfo info = cache.lookup(f).orElseThrow();
        assertThat(info.lastModifiedString()).isEqualTo("Sun, 06 Nov 1994 08:49:37 GMT");
        assertThat(info.etag()).isEqualTo("\"" + Long.toHexString(784111777L) + "-1\"");
    }
}
