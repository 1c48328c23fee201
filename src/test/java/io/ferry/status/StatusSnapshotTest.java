package io.ferry.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatusSnapshotTest {
    private static final StatusSnapshot SMALL = StatusSnapshot.builder()
            .text("state", "incremental")
            .counter("ops_applied", 42, "Commands applied.")
            .gauge("lag_seconds", 0.25, "Seconds behind.")
            .flag("tls", true, "Whether TLS is used.")
            .text("replid", "abc")
            .build();

    @Test
    void keepsInsertionOrderAndValues() {
        assertThat(SMALL.values().keySet()).containsExactly("state", "ops_applied", "lag_seconds", "tls", "replid");
        assertThat(SMALL.values()).containsEntry("ops_applied", 42).containsEntry("tls", true).containsEntry("lag_seconds", 0.25);
    }

    @Test
    void rendersPrometheusTextWithTextFieldsAsInfoLabels() {
        assertThat(PrometheusText.render(SMALL)).isEqualTo("""
                # HELP ferry_info Ferry's text status fields as labels; the value is always 1.
                # TYPE ferry_info gauge
                ferry_info{state="incremental",replid="abc"} 1
                # HELP ferry_ops_applied_total Commands applied.
                # TYPE ferry_ops_applied_total counter
                ferry_ops_applied_total 42
                # HELP ferry_lag_seconds Seconds behind.
                # TYPE ferry_lag_seconds gauge
                ferry_lag_seconds 0.25
                # HELP ferry_tls Whether TLS is used.
                # TYPE ferry_tls gauge
                ferry_tls 1
                """);
    }

    @Test
    void escapesLabelValuesAndHelp() {
        StatusSnapshot s = StatusSnapshot.builder()
                .text("source", "a\"b\\c\nd")
                .counter("errors_total", 1, "line\\one\ntwo")
                .build();
        assertThat(PrometheusText.render(s))
                .contains("ferry_info{source=\"a\\\"b\\\\c\\nd\"} 1\n")
                .contains("# HELP ferry_errors_total line\\\\one\\ntwo\n")
                .contains("ferry_errors_total 1\n"); // already ends in _total: not doubled
    }

    @Test
    void formatsNumbersWithoutExponentOrTrailingZeros() {
        StatusSnapshot s = StatusSnapshot.builder()
                .gauge("a", 1234567.0, "h").gauge("b", 0.1, "h").gauge("c", Double.NaN, "h")
                .gauge("d", Double.POSITIVE_INFINITY, "h").gauge("e", 12_345_678_901L, "h").gauge("f", 2.5f, "h")
                .build();
        assertThat(s.fields().stream().map(StatusSnapshot.Field::text).toList())
                .containsExactly("1234567", "0.1", "NaN", "+Inf", "12345678901", "2.5");
    }

    @Test
    void rendersOneInfoSection() {
        assertThat(InfoText.render(SMALL, List.of()))
                .isEqualTo("# Ferry\r\nstate:incremental\r\nops_applied:42\r\nlag_seconds:0.25\r\ntls:1\r\nreplid:abc\r\n");
        assertThat(InfoText.render(SMALL, List.of("FERRY"))).startsWith("# Ferry\r\n");
        assertThat(InfoText.render(SMALL, List.of("everything"))).startsWith("# Ferry\r\n");
        assertThat(InfoText.render(SMALL, List.of("replication"))).isEmpty();
    }

    @Test
    void infoValuesCannotForgeLines() {
        StatusSnapshot s = StatusSnapshot.builder().text("source", "x\r\nstate:stopped").build();
        assertThat(InfoText.render(s, List.of())).isEqualTo("# Ferry\r\nsource:x  state:stopped\r\n");
    }

    @Test
    void refusesNamesThatAreNotPortableOrCollide() {
        assertThatThrownBy(() -> StatusSnapshot.builder().gauge("Lag", 1, "h"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'Lag'");
        assertThatThrownBy(() -> StatusSnapshot.builder().gauge("ops/s", 1, "h")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StatusSnapshot.builder().text("state", "a").text("state", "b"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
        assertThatThrownBy(() -> StatusSnapshot.builder().counter("x", 1, "h").gauge("x_total", 1, "h"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ferry_x_total");
        assertThatThrownBy(() -> StatusSnapshot.builder().gauge("info", 1, "h"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ferry_info");
        assertThatThrownBy(() -> StatusSnapshot.builder().text("replid", null)).isInstanceOf(NullPointerException.class);
    }
}
