package io.ferry.source.aof;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The Redis 7 manifest parser: what Redis writes, its quoting, and manifests it would refuse. */
class AofManifestTest {
    @Test
    void baseThenIncrementalsInSeqOrderWithoutHistory() throws Exception {
        AofManifest m = AofManifest.parse("""
                file appendonly.aof.2.base.rdb seq 2 type b
                file appendonly.aof.1.base.rdb seq 1 type h
                file appendonly.aof.1.incr.aof seq 1 type h
                file appendonly.aof.4.incr.aof seq 4 type i
                file appendonly.aof.3.incr.aof seq 3 type i
                """, "m");
        assertThat(m.parts()).extracting(AofManifest.Part::file)
                .containsExactly("appendonly.aof.2.base.rdb", "appendonly.aof.3.incr.aof", "appendonly.aof.4.incr.aof");
        assertThat(m.base()).isEqualTo(new AofManifest.Part("appendonly.aof.2.base.rdb", 2, 'b'));
    }

    @Test
    void keysInAnyOrderQuotedNamesCommentsBlankLinesAndCrlf() throws Exception {
        AofManifest m = AofManifest.parse("# written by hand\r\n\r\n"
                + "type i seq 7 file \"my aof\\x41.incr.aof\" extra ignored\r\n"
                + "file 'it\\'s.base.aof' seq 1 type b\r\n", "m");
        assertThat(m.parts()).containsExactly(new AofManifest.Part("it's.base.aof", 1, 'b'), new AofManifest.Part("my aofA.incr.aof", 7, 'i'));
    }

    @Test
    void incrementalsOnly() throws Exception {
        assertThat(AofManifest.parse("file a.1.incr.aof seq 1 type i\n", "m").parts()).containsExactly(new AofManifest.Part("a.1.incr.aof", 1, 'i'));
    }

    @Test
    void invalidManifestsNameTheLine() {
        List<String[]> cases = List.of(
                new String[] {"file a seq 1 type b\nfile b seq 2 type b\n", "m line 2: a second base file (b after a)"},
                new String[] {"file a seq 1 type i\nfile b seq 1 type i\n", "m: two incremental files with seq 1"},
                new String[] {"file a seq 1 type x\n", "m line 1: unknown file type 'x' (b, i or h expected)"},
                new String[] {"file a type i\n", "m line 1: a file line needs file, seq and type, got 'file a type i'"},
                new String[] {"file a seq one type i\n", "m line 1: seq 'one' is not a number"},
                new String[] {"file a seq 1 type\n", "m line 1: expected key value pairs (file NAME seq N type b|i|h), got 'file a seq 1 type'"},
                new String[] {"file \"a seq 1 type i\n", "m line 1: unbalanced quotes"},
                new String[] {"file \"a\"b seq 1 type i\n", "m line 1: a closing quote must be followed by a space"},
                new String[] {"# nothing\n", "m: lists no base or incremental file"},
                new String[] {"file a seq 1 type h\n", "m: lists no base or incremental file"});
        for (String[] c : cases) {
            assertThatThrownBy(() -> AofManifest.parse(c[0], "m")).as(c[0]).isInstanceOf(AofFormatException.class).hasMessage(c[1]);
        }
    }
}
