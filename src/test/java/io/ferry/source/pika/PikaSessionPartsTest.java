package io.ferry.source.pika;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.replication.ReplCommand;
import io.ferry.source.pika.binlog.Action;
import io.ferry.sync.SourceSpec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The small pieces a Pika partition is made of: the ack window, an item's commands, the source URI. */
class PikaSessionPartsTest {
    @Test
    void anAckCoversExactlyTheAppliedRunFromTheOldestUnackedItem() {
        AckWindow w = new AckWindow();
        assertThat(w.takeApplied(Long.MAX_VALUE)).isNull();
        w.add(10, 100);
        w.add(20, 101);
        w.add(30, 102);
        assertThat(w.takeApplied(5)).as("nothing applied yet").isNull();
        assertThat(w.oldestExecTime()).isEqualTo(100);
        assertThat(w.takeApplied(25)).isEqualTo(new AckWindow.Range(10, 20)); // 25: inside the third item, which is not done
        assertThat(w.oldestExecTime()).isEqualTo(102);
        assertThat(w.takeApplied(30)).isEqualTo(new AckWindow.Range(30, 30));
        assertThat(w.size()).isZero();
        assertThat(w.oldestExecTime()).isEqualTo(-1);
    }

    @Test
    void anItemBecomesOneCommandATransactionOrAPing() throws Exception {
        assertThat(PikaCommands.of(List.of(), null, 5, 9)).singleElement()
                .satisfies(c -> assertThat(name(c)).isEqualTo("PING")).satisfies(c -> assertThat(c.endOffset()).isEqualTo(9));
        assertThat(PikaCommands.of(List.of(cmd("SET", "k", "v")), null, 5, 9)).singleElement()
                .satisfies(c -> assertThat(name(c)).isEqualTo("SET")).satisfies(c -> assertThat(c.startOffset()).isEqualTo(5));
        List<ReplCommand> two = PikaCommands.of(List.of(cmd("SET", "k", "v"), cmd("EXPIREAT", "k", "2000000000")), null, 5, 9);
        assertThat(two.stream().map(PikaSessionPartsTest::name)).containsExactly("MULTI", "SET", "EXPIREAT", "EXEC");
        assertThat(two.get(3).endOffset()).as("the block ends where the item ends").isEqualTo(9);
        assertThat(two.get(0).endOffset()).as("nothing counts as done before EXEC").isEqualTo(5);
    }

    @Test
    void aPikaUriNamesTheClientPortAndHidesThePassword() {
        SourceSpec.Pika p = (SourceSpec.Pika) SourceSpec.parse("pika://:s3cret@10.0.0.5");
        assertThat(p.uri().port()).isEqualTo(9221);
        assertThat(p.uri().password()).isEqualTo("s3cret");
        assertThat(p.redacted()).doesNotContain("s3cret").startsWith("pika://");
        assertThat(((SourceSpec.Pika) SourceSpec.parse("pika://10.0.0.5:9300")).uri().port()).isEqualTo(9300);
        assertThat(((SourceSpec.Pika) SourceSpec.parse("pika://[::1]:9300")).uri().host()).isEqualTo("::1");
        assertThat(((SourceSpec.Pika) SourceSpec.parse("pika://[::1]")).uri().port()).isEqualTo(9221);
    }

    private static Action cmd(String... argv) {
        byte[][] a = new byte[argv.length][];
        for (int i = 0; i < argv.length; i++) {
            a[i] = argv[i].getBytes(StandardCharsets.US_ASCII);
        }
        return new Action.Command(a);
    }

    private static String name(ReplCommand c) {
        return new String(c.argv()[0], StandardCharsets.US_ASCII);
    }
}
