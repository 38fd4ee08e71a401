package io.weir.modules.staticfile;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.api.http.HttpFileInfo;
import io.weir.api.http.HttpModuleContextContainer;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Entity-tag lists, If-Range and HTTP-date parsing, RFC 9110 sections 8.8 and 13. */
class PreconditionsTest {

    private static final String ETAG = "\"5e1a-24\"";
    private static final Instant MODIFIED = Instant.parse("1994-11-06T08:49:37Z");

    private static final HttpFileInfo FILE = new HttpFileInfo() {
        @Override
        public Path path() {
            return Path.of("a.txt");
        }

        @Override
        public boolean isDirectory() {
            return false;
        }

        @Override
        public long size() {
            return 36;
        }

        @Override
        public Instant lastModified() {
            return MODIFIED;
        }

        @Override
        public String lastModifiedString() {
            return "Sun, 06 Nov 1994 08:49:37 GMT";
        }

        @Override
        public String etag() {
            return ETAG;
        }

        @Override
        public HttpModuleContextContainer moduleContextContainer() {
            throw new UnsupportedOperationException("the preconditions never store a context");
        }
    };

    @Test
    void weakComparisonMatchesWeakAndStrongTagsInLists() {
        assertThat(Preconditions.matchesAny(ETAG, ETAG, false)).isTrue();
        assertThat(Preconditions.matchesAny("W/" + ETAG, ETAG, false)).isTrue();
        assertThat(Preconditions.matchesAny("\"a\", W/\"b\",  " + ETAG, ETAG, false))
                .isTrue();
        assertThat(Preconditions.matchesAny("*", ETAG, false)).isTrue();
        assertThat(Preconditions.matchesAny("\"5e1a-2\"", ETAG, false)).isFalse();
        assertThat(Preconditions.matchesAny("\"5e1a-24", ETAG, false)).isFalse();
        assertThat(Preconditions.matchesAny("", ETAG, false)).isFalse();
    }

    @Test
    void strongComparisonRefusesWeakTags() {
        assertThat(Preconditions.matchesAny("W/" + ETAG, ETAG, true)).isFalse();
        assertThat(Preconditions.matchesAny("\"x\"," + ETAG, ETAG, true)).isTrue();
    }

    @Test
    void ifRangeNeedsAStrongTagOrTheExactDate() {
        assertThat(Preconditions.ifRangeMatches(ETAG, FILE)).isTrue();
        assertThat(Preconditions.ifRangeMatches("W/" + ETAG, FILE)).isFalse();
        assertThat(Preconditions.ifRangeMatches("\"other\"", FILE)).isFalse();
        assertThat(Preconditions.ifRangeMatches("Sun, 06 Nov 1994 08:49:37 GMT", FILE))
                .isTrue();
        assertThat(Preconditions.ifRangeMatches("Sun, 06 Nov 1994 08:49:38 GMT", FILE))
                .isFalse();
        assertThat(Preconditions.ifRangeMatches("garbage", FILE)).isFalse();
    }

    @Test
    void parsesTheThreeHttpDateForms() {
        Instant other = Instant.parse("2024-03-01T12:00:00Z");
        assertThat(Preconditions.parseDate("Fri, 01 Mar 2024 12:00:00 GMT", FILE))
                .isEqualTo(other);
        assertThat(Preconditions.parseDate("Friday, 01-Mar-24 12:00:00 GMT", FILE))
                .isEqualTo(other);
        assertThat(Preconditions.parseDate("Fri Mar  1 12:00:00 2024", FILE)).isEqualTo(other);
        assertThat(Preconditions.parseDate("Sun, 06 Nov 1994 08:49:37 GMT", FILE))
                .isEqualTo(MODIFIED);
        assertThat(Preconditions.parseDate("yesterday", FILE)).isNull();
    }
}
