package io.weir.modules.authentication;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Semaphore;

/**
 * One user file ({@link UserFile}'s format) kept in memory, reloaded when it changes, with password
 * verification and a short cache of recent successes. Thread-safe.
 *
 * <p><b>Threads.</b> {@link #cachedUser} is cheap and may run on an event loop: it makes one
 * {@code stat} of the file and one SHA-256. {@link #verify} reads the file when it changed and runs
 * bcrypt (tens of milliseconds by design): call it on {@link io.weir.api.HttpServer#blockingExecutor()}
 * only. At most {@link #MAX_CONCURRENT_VERIFICATIONS} bcrypt computations run at once across the
 * process; the others wait their turn (on virtual threads, which costs no carrier thread), so a flood
 * of wrong passwords cannot take every core from the event loops.
 *
 * <p><b>Change detection.</b> The file's last-modified time, size and file key (inode) are compared
 * with the loaded ones on each use; any difference reloads it and empties the cache. A file that
 * cannot be read counts as a file with no users (every logon fails) until it can. Because file
 * timestamps are coarse (a few milliseconds), an edit that keeps the size could keep the stamp too: a
 * file modified less than two seconds before it was read is read again at each use (and its successes
 * are not cached) until it has been still for two seconds, as Git treats "racily clean" entries.
 *
 * <p><b>Timing.</b> A name not in the file is still checked against a dummy bcrypt hash whose cost is
 * the highest cost found in the file (10 when it has no users), so that "no such user" and "wrong
 * password" take about the same time; hash comparisons use {@link MessageDigest#isEqual}, which is
 * constant-time. Keep every user at the same cost (as {@code htpasswd -B} does by default) so that
 * costs do not tell users apart.
 *
 * <p><b>Cache.</b> A successful verification is remembered for {@link #CACHE_TTL} under the key
 * SHA-256(process-random salt ‖ lower-cased name ‖ NUL ‖ password), so a client that sends its
 * credentials with each request pays for bcrypt once per TTL; failures are never cached. The salt
 * is random per process, so the keys in memory are not unsalted password hashes.
 */
public final class UserStore {

    /** How long a successful verification is remembered. */
    public static final Duration CACHE_TTL = Duration.ofSeconds(30);
    /** The most bcrypt verifications running at once in the process: half the processors, at least one. */
    public static final int MAX_CONCURRENT_VERIFICATIONS =
            Math.max(1, Runtime.getRuntime().availableProcessors() / 2);

    private static final System.Logger LOG = System.getLogger(UserStore.class.getName());
    private static final Semaphore VERIFYING = new Semaphore(MAX_CONCURRENT_VERIFICATIONS, true);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] CACHE_SALT = randomBytes(16);
    private static final int DUMMY_COST_WHEN_EMPTY = 10;
    /** A file modified less than this before it was read may change again within the same timestamp. */
    private static final long RACY_WINDOW_NANOS = 2_000_000_000L;

    private final Path file;
    private volatile Snapshot snapshot;

    /** The file as loaded: its identity, its users, a dummy hash and the success cache. */
    private record Snapshot(
            FileStamp stamp,
            boolean racy,
            UserFile users,
            BCrypt.HashData dummy,
            Cache<String, UserFile.StoredUser> successes) {

        /** Whether this snapshot still stands for a file with this stamp. */
        boolean isCurrent(FileStamp now) {
            return !racy && stamp.equals(now);
        }
    }

    /** What a stat tells about the file; null fields when it does not exist. */
    private record FileStamp(Object fileKey, long modifiedNanos, long size) {
        static final FileStamp MISSING = new FileStamp(null, Long.MIN_VALUE, -1);
    }

    /**
     * Creates the store; nothing is read until the first use.
     *
     * @param file the user file, absolute
     */
    public UserStore(Path file) {
        this.file = Objects.requireNonNull(file, "file");
    }

    /**
     * Returns the file this store reads.
     *
     * @return the path
     */
    public Path file() {
        return file;
    }

    /**
     * Looks the credentials up in the cache of recent successes; cheap enough for an event loop (one
     * stat, one SHA-256, no bcrypt).
     *
     * @param credentials the credentials sent
     * @return the user when these exact credentials were verified within the TTL and the file has not
     *         changed since; empty otherwise (the caller then calls {@link #verify})
     */
    public Optional<UserFile.StoredUser> cachedUser(BasicCredentials credentials) {
        Snapshot current = snapshot;
        if (current == null || !current.isCurrent(stamp())) {
            return Optional.empty();
        }
        return Optional.ofNullable(current.successes().getIfPresent(cacheKey(credentials)));
    }

    /**
     * Verifies credentials against the file, reloading it first when it changed. Blocking (file I/O
     * and bcrypt): call it on the blocking executor only.
     *
     * @param credentials the credentials sent; the user name already qualified with the default
     *                    logon domain when one applies
     * @return the user when the name is in the file and the password matches its hash; empty otherwise
     * @throws InterruptedException if the thread is interrupted while waiting for its turn
     */
    public Optional<UserFile.StoredUser> verify(BasicCredentials credentials) throws InterruptedException {
        Snapshot current = current();
        UserFile.StoredUser user =
                current.users().users().get(credentials.userName().toLowerCase(Locale.ROOT));
        BCrypt.HashData expected = user != null ? user.hash() : current.dummy();
        boolean matches;
        VERIFYING.acquire();
        try {
            BCrypt.HashData computed = BCrypt.with(expected.version, LongPasswordStrategies.truncate(expected.version))
                    .hashRaw(expected.cost, expected.rawSalt, credentials.password());
            matches = MessageDigest.isEqual(computed.rawHash, expected.rawHash);
        } finally {
            VERIFYING.release();
        }
        if (user == null || !matches) {
            return Optional.empty();
        }
        current.successes().put(cacheKey(credentials), user);
        return Optional.of(user);
    }

    /**
     * Returns the loaded users, reloading the file first when it changed. Blocking.
     *
     * @return the parsed file (no users when it cannot be read)
     */
    public UserFile users() {
        return current().users();
    }

    private Snapshot current() {
        FileStamp now = stamp();
        Snapshot current = snapshot;
        if (current != null && current.isCurrent(now)) {
            return current;
        }
        synchronized (this) {
            current = snapshot;
            now = stamp();
            if (current != null && current.isCurrent(now)) {
                return current;
            }
            Snapshot loaded = load(now);
            snapshot = loaded;
            return loaded;
        }
    }

    private Snapshot load(FileStamp stamp) {
        long readAt = System.currentTimeMillis() * 1_000_000L;
        boolean racy = stamp != FileStamp.MISSING && stamp.modifiedNanos() > readAt - RACY_WINDOW_NANOS;
        UserFile users;
        if (stamp == FileStamp.MISSING) {
            LOG.log(System.Logger.Level.WARNING, "user file {0} does not exist: every Basic logon fails", file);
            users = UserFile.parse("");
        } else {
            try {
                users = UserFile.parse(Files.readString(file, StandardCharsets.UTF_8));
            } catch (IOException | RuntimeException e) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        "user file {0} cannot be read ({1}): every Basic logon fails",
                        file,
                        e.toString());
                users = UserFile.parse("");
            }
            for (String problem : users.problems()) {
                LOG.log(System.Logger.Level.WARNING, "user file {0}, {1}; that line is ignored", file, problem);
            }
        }
        int cost = users.users().values().stream()
                .mapToInt(u -> u.hash().cost)
                .max()
                .orElse(DUMMY_COST_WHEN_EMPTY);
        Snapshot previous = snapshot;
        BCrypt.HashData dummy;
        if (previous != null && previous.dummy().cost == cost) {
            dummy = previous.dummy();
        } else {
            byte[] salt = new byte[16];
            byte[] secret = new byte[16];
            RANDOM.nextBytes(salt);
            RANDOM.nextBytes(secret);
            dummy = BCrypt.with(BCrypt.Version.VERSION_2Y).hashRaw(cost, salt, secret);
        }
        Cache<String, UserFile.StoredUser> successes = Caffeine.newBuilder()
                .expireAfterWrite(CACHE_TTL)
                .maximumSize(10_000)
                .build();
        return new Snapshot(stamp, racy, users, dummy, successes);
    }

    private FileStamp stamp() {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return new FileStamp(
                    attributes.fileKey(),
                    attributes.lastModifiedTime().toInstant().getEpochSecond() * 1_000_000_000L
                            + attributes.lastModifiedTime().toInstant().getNano(),
                    attributes.size());
        } catch (NoSuchFileException e) {
            return FileStamp.MISSING;
        } catch (IOException e) {
            return new FileStamp(null, Long.MIN_VALUE, -2);
        }
    }

    private static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }

    private static String cacheKey(BasicCredentials credentials) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(CACHE_SALT);
            sha256.update(credentials.userName().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
            sha256.update((byte) 0);
            sha256.update(credentials.password());
            return Base64.getEncoder().encodeToString(sha256.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
