package io.weir.modules.authentication;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/**
 * The user name and password of an {@code Authorization: Basic} header (RFC 7617).
 *
 * <p>The user-pass is decoded from base64 and split at its first {@code ':'}. The user name must be
 * UTF-8 (the challenge says {@code charset="UTF-8"}); the password is kept as the bytes sent, which is
 * what bcrypt hashes (so a password set with {@code htpasswd} in a UTF-8 terminal matches).
 *
 * @param userName the user name, decoded
 * @param password the password bytes; {@link #wipe()} clears them once they are no longer needed
 */
public record BasicCredentials(String userName, byte[] password) {

    /** The longest base64 token accepted, in characters; longer ones are malformed (400). */
    public static final int MAX_TOKEN_LENGTH = 4096;

    /** What parsing an {@code Authorization} value gave. */
    public enum Outcome {
        /** The value holds another scheme: not Basic's business. */
        OTHER_SCHEME,
        /** A Basic value that cannot be decoded: the request is malformed. */
        MALFORMED,
        /** Credentials were decoded. */
        CREDENTIALS
    }

    /**
     * The result of {@link #parse}.
     *
     * @param outcome     what was found
     * @param credentials the credentials when {@code outcome} is {@link Outcome#CREDENTIALS}
     */
    public record Parsed(Outcome outcome, Optional<BasicCredentials> credentials) {}

    /**
     * Parses one {@code Authorization} header value: {@code Basic} (any case), one or more spaces,
     * then a base64 token of at most {@link #MAX_TOKEN_LENGTH} characters whose decoded form holds a
     * {@code ':'} and a UTF-8 user name without control characters.
     *
     * @param value the header value
     * @return OTHER_SCHEME, MALFORMED, or the credentials
     */
    public static Parsed parse(String value) {
        String trimmed = value.strip();
        int space = trimmed.indexOf(' ');
        String scheme = space < 0 ? trimmed : trimmed.substring(0, space);
        if (!scheme.equalsIgnoreCase("Basic")) {
            return new Parsed(Outcome.OTHER_SCHEME, Optional.empty());
        }
        String token = space < 0 ? "" : trimmed.substring(space + 1).strip();
        if (token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            return malformed();
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            return malformed();
        }
        int colon = -1;
        for (int i = 0; i < decoded.length; i++) {
            if (decoded[i] == ':') {
                colon = i;
                break;
            }
        }
        if (colon < 0) {
            Arrays.fill(decoded, (byte) 0);
            return malformed();
        }
        String name;
        try {
            CharBuffer chars = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(decoded, 0, colon));
            name = chars.toString();
        } catch (CharacterCodingException e) {
            Arrays.fill(decoded, (byte) 0);
            return malformed();
        }
        for (int i = 0; i < name.length(); i++) {
            if (Character.isISOControl(name.charAt(i))) {
                Arrays.fill(decoded, (byte) 0);
                return malformed();
            }
        }
        byte[] password = Arrays.copyOfRange(decoded, colon + 1, decoded.length);
        Arrays.fill(decoded, (byte) 0);
        return new Parsed(Outcome.CREDENTIALS, Optional.of(new BasicCredentials(name, password)));
    }

    /**
     * Returns these credentials with the user name qualified by a logon domain, as IIS's
     * {@code defaultLogonDomain} does for a name sent without a domain.
     *
     * @param domain the default logon domain; empty for none
     * @return {@code this} when the domain is empty or the name already has a {@code DOMAIN\} part,
     *         else credentials named {@code domain\name} sharing this password array
     */
    public BasicCredentials qualified(String domain) {
        if (domain.isEmpty() || userName.indexOf('\\') >= 0) {
            return this;
        }
        return new BasicCredentials(domain + "\\" + userName, password);
    }

    /** Overwrites the password bytes with zeros. */
    public void wipe() {
        Arrays.fill(password, (byte) 0);
    }

    /**
     * Names the user only: a password never appears in a log.
     *
     * @return {@code BasicCredentials[userName=…]}
     */
    @Override
    public String toString() {
        return "BasicCredentials[userName=" + userName + "]";
    }

    private static Parsed malformed() {
        return new Parsed(Outcome.MALFORMED, Optional.empty());
    }
}
