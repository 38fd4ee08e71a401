package io.weir.modules.httplogging;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.modules.httplogging.LogFileSettings.LogPeriod;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class LogFileNamingTest {

    private static final Instant T = Instant.parse("2024-03-05T10:11:12Z"); // a Tuesday

    @Test
    void timedNamesFollowHttpSysPatternsWithTheUtf8Prefix() {
        assertThat(LogFileNaming.timedName(LogPeriod.DAILY, true, T, ZoneOffset.UTC))
                .isEqualTo("u_ex240305.log");
        assertThat(LogFileNaming.timedName(LogPeriod.HOURLY, true, T, ZoneOffset.UTC))
                .isEqualTo("u_ex24030510.log");
        assertThat(LogFileNaming.timedName(LogPeriod.MONTHLY, true, T, ZoneOffset.UTC))
                .isEqualTo("u_ex2403.log");
        // March 2024 starts on a Friday: week 1 is 1-2, week 2 is 3-9
        assertThat(LogFileNaming.timedName(LogPeriod.WEEKLY, true, T, ZoneOffset.UTC))
                .isEqualTo("u_ex240302.log");
        assertThat(LogFileNaming.timedName(LogPeriod.DAILY, false, T, ZoneOffset.UTC))
                .isEqualTo("ex240305.log");
    }

    @Test
    void localTimeRolloverNamesTheFileInTheLocalZone() {
        ZoneId tokyo = ZoneId.of("Asia/Tokyo"); // UTC+9: 10:11 UTC is 19:11 the same day, 20:00 UTC is the next day
        assertThat(LogFileNaming.timedName(LogPeriod.DAILY, true, Instant.parse("2024-03-05T20:00:00Z"), tokyo))
                .isEqualTo("u_ex240306.log");
        assertThat(LogFileNaming.periodEnd(LogPeriod.DAILY, T, tokyo))
                .isEqualTo(Instant.parse("2024-03-05T15:00:00Z").toEpochMilli());
    }

    @Test
    void weeksStartOnSundayAndRestartEachMonth() {
        assertThat(LogFileNaming.weekOfMonth(LocalDate.of(2024, 3, 1))).isEqualTo(1); // Friday
        assertThat(LogFileNaming.weekOfMonth(LocalDate.of(2024, 3, 2))).isEqualTo(1); // Saturday
        assertThat(LogFileNaming.weekOfMonth(LocalDate.of(2024, 3, 3))).isEqualTo(2); // Sunday
        assertThat(LogFileNaming.weekOfMonth(LocalDate.of(2024, 3, 31))).isEqualTo(6);
        assertThat(LogFileNaming.weekOfMonth(LocalDate.of(2024, 9, 1))).isEqualTo(1); // a Sunday
        assertThat(LogFileNaming.weekOfMonth(LocalDate.of(2024, 9, 7))).isEqualTo(1);
        assertThat(LogFileNaming.weekOfMonth(LocalDate.of(2024, 9, 8))).isEqualTo(2);
    }

    @Test
    void periodsEndAtTheNextBoundary() {
        assertThat(LogFileNaming.periodEnd(LogPeriod.HOURLY, T, ZoneOffset.UTC))
                .isEqualTo(Instant.parse("2024-03-05T11:00:00Z").toEpochMilli());
        assertThat(LogFileNaming.periodEnd(LogPeriod.DAILY, T, ZoneOffset.UTC))
                .isEqualTo(Instant.parse("2024-03-06T00:00:00Z").toEpochMilli());
        assertThat(LogFileNaming.periodEnd(LogPeriod.WEEKLY, T, ZoneOffset.UTC))
                .isEqualTo(Instant.parse("2024-03-10T00:00:00Z").toEpochMilli());
        // the week of Sunday 2024-03-31 is cut by April 1st
        assertThat(LogFileNaming.periodEnd(LogPeriod.WEEKLY, Instant.parse("2024-03-31T05:00:00Z"), ZoneOffset.UTC))
                .isEqualTo(Instant.parse("2024-04-01T00:00:00Z").toEpochMilli());
        assertThat(LogFileNaming.periodEnd(LogPeriod.MONTHLY, T, ZoneOffset.UTC))
                .isEqualTo(Instant.parse("2024-04-01T00:00:00Z").toEpochMilli());
    }

    @Test
    void sizeNamesCarryASequence() {
        assertThat(LogFileNaming.sizeName(true, 1)).isEqualTo("u_extend1.log");
        assertThat(LogFileNaming.sizeName(false, 12)).isEqualTo("extend12.log");
        assertThat(LogFileNaming.sequenceOf(true, "u_extend12.log")).isEqualTo(12);
        assertThat(LogFileNaming.sequenceOf(true, "u_ex240305.log")).isEqualTo(-1);
        assertThat(LogFileNaming.sequenceOf(true, "u_extend.log")).isEqualTo(-1);
        assertThat(LogFileNaming.sequenceOf(false, "u_extend3.log")).isEqualTo(-1);
    }
}
