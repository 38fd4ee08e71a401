package io.weir.modules.compression;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The compressed copies of static files, kept in {@code httpCompression@directory} as IIS keeps
 * them in its "IIS Temporary Compressed Files" folder. A copy is made in the background on the
 * server's blocking executor (a request that finds none is answered uncompressed, as IIS answers
 * it, and never waits); its name is derived from the source file's path, size, modification time,
 * coding and level, so a changed source (the server's file cache sees the change) finds no copy and
 * the stale one is deleted when the new one is made. With {@code doDiskSpaceLimiting} the folder
 * holds at most {@code maxDiskSpaceUsage}: the least recently served copies in that folder are
 * deleted first.
 * Copies left by an earlier run under the same name are used again.
 */
final class CompressedFileCache {

    private static final System.Logger LOG = System.getLogger(CompressedFileCache.class.getName());

    /**
     * What a copy is a copy of.
     *
     * @param directory the cache folder
     * @param source    the static file
     * @param size      its size when compressed
     * @param modified  its modification time, epoch milliseconds
     * @param coding    the coding
     * @param level     the IIS level
     */
    record Key(Path directory, Path source, long size, long modified, ContentCoding coding, long level) {
        /** @return the key without the source's version: one copy per file, coding and level */
        Slot slot() {
            return new Slot(directory, source, coding, level);
        }
    }

    /** One place for a copy: a file in a coding and level, whatever its version. */
    record Slot(Path directory, Path source, ContentCoding coding, long level) {}

    /** A copy on disk. */
    static final class Copy {
        final Key key;
        final Path file;
        final long length;
        volatile long lastServed;

        Copy(Key key, Path file, long length) {
            this.key = key;
            this.file = file;
            this.length = length;
            this.lastServed = System.nanoTime();
        }
    }

    private final Map<Slot, Copy> copies = new ConcurrentHashMap<>();
    private final Map<Slot, Boolean> pending = new ConcurrentHashMap<>();
    private final Map<Path, AtomicLong> bytes = new ConcurrentHashMap<>();
    private final AtomicLong made = new AtomicLong();

    /**
     * Returns the copy of exactly this version of the file, marking it served.
     *
     * @param key the file version, coding and level
     * @return the copy, or empty when there is none yet
     */
    Optional<Copy> lookup(Key key) {
        Copy copy = copies.get(key.slot());
        if (copy == null || !copy.key.equals(key)) {
            return Optional.empty();
        }
        copy.lastServed = System.nanoTime();
        return Optional.of(copy);
    }

    /**
     * Queues the making of a copy, unless one is being made for the same file, coding and level.
     *
     * @param key        what to compress
     * @param executor   the server's blocking executor
     * @param limitBytes the folder's limit, or a negative number for none
     */
    void schedule(Key key, Executor executor, long limitBytes) {
        Slot slot = key.slot();
        if (pending.putIfAbsent(slot, Boolean.TRUE) != null) {
            return;
        }
        try {
            executor.execute(() -> {
                try {
                    make(key, limitBytes);
                } catch (IOException | RuntimeException e) {
                    LOG.log(
                            System.Logger.Level.WARNING,
                            "could not compress {0} with {1} into {2}: {3}",
                            key.source(),
                            key.coding().token(),
                            key.directory(),
                            e.toString());
                } finally {
                    pending.remove(slot);
                }
            });
        } catch (RejectedExecutionException e) {
            pending.remove(slot);
        }
    }

    private void make(Key key, long limitBytes) throws IOException {
        Path dir = key.directory();
        Files.createDirectories(dir);
        Path target = dir.resolve(fileName(key));
        if (!Files.isRegularFile(target)) {
            Path temp = Files.createTempFile(dir, ".compressing-", ".tmp");
            try {
                try (InputStream in = Files.newInputStream(key.source());
                        OutputStream out = key.coding().encoder(Files.newOutputStream(temp), key.level())) {
                    in.transferTo(out);
                }
                try {
                    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temp);
            }
        }
        Copy copy = new Copy(key, target, Files.size(target));
        Copy old = copies.put(key.slot(), copy);
        folderBytes(dir).addAndGet(copy.length);
        made.incrementAndGet();
        if (old != null && !old.file.equals(copy.file)) {
            delete(old);
        } else if (old != null) {
            folderBytes(dir).addAndGet(-old.length);
        }
        if (limitBytes >= 0) {
            trim(dir, limitBytes);
        }
    }

    private AtomicLong folderBytes(Path dir) {
        return bytes.computeIfAbsent(dir, d -> new AtomicLong());
    }

    private void delete(Copy copy) {
        folderBytes(copy.key.directory()).addAndGet(-copy.length);
        try {
            Files.deleteIfExists(copy.file);
        } catch (IOException e) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "could not delete the compressed copy {0}: {1}",
                    copy.file,
                    e.toString());
        }
    }

    /** Deletes the least recently served copies of a folder until its copies fit the limit. */
    private synchronized void trim(Path dir, long limitBytes) {
        AtomicLong used = folderBytes(dir);
        if (used.get() <= limitBytes) {
            return;
        }
        for (Copy c : copies.values().stream()
                .filter(c -> c.key.directory().equals(dir))
                .sorted(Comparator.comparingLong((Copy c) -> c.lastServed))
                .toList()) {
            if (used.get() <= limitBytes) {
                break;
            }
            if (copies.remove(c.key.slot(), c)) {
                delete(c);
            }
        }
    }

    /** @return the bytes the copies hold on disk, over every folder */
    long bytes() {
        return bytes.values().stream().mapToLong(AtomicLong::get).sum();
    }

    /** @return how many copies were made (or adopted from an earlier run) */
    long made() {
        return made.get();
    }

    static String fileName(Key key) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((key.source().toString() + '\n' + key.size() + '\n' + key.modified() + '\n' + key.level())
                    .getBytes(StandardCharsets.UTF_8));
            String name = key.source().getFileName() == null
                    ? "file"
                    : key.source().getFileName().toString();
            if (name.length() > 60) {
                name = name.substring(0, 60);
            }
            return name + "." + HexFormat.of().formatHex(sha.digest(), 0, 12)
                    + key.coding().siblingSuffix();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }
}
