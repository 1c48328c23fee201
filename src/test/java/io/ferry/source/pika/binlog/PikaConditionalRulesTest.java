package io.ferry.source.pika.binlog;

import static io.ferry.source.pika.binlog.Tr.REDIS5;
import static io.ferry.source.pika.binlog.Tr.REDIS7;
import static io.ferry.source.pika.binlog.Tr.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** SET … VX, DELVX and PKPATTERNMATCHDEL become EVALs (the IT runs them on a real Redis). */
class PikaConditionalRulesTest {
    private final PikaTranslator t = at(PikaGeneration.V3_5, REDIS7, TypeNames.none(), 1796161337);

    private static List<String> args(Action a) {
        return java.util.Arrays.stream(((Action.Command) a).argv()).map(Argv::s).toList();
    }

    @Test
    void setVxIsAnEvalWithTheKeyDeclared() {
        // 3.5.5 #193: SET tr:vx b VX a
        List<Action> out = t.translate(Tr.argv("SET", "tr:vx", "b", "VX", "a"), 1796161337);
        assertThat(out).hasSize(1);
        assertThat(args(out.get(0))).containsExactly("EVAL", ConditionalRules.SET_VX_SCRIPT, "1", "tr:vx", "b", "a");
    }

    @Test
    void setVxCaseInsensitiveWithTtl() {
        List<Action> out = t.translate(Tr.argv("set", "k", "b", "vx", "a", "EX", "10"), 1796161337);
        assertThat(args(out.get(0))).containsExactly("EVAL", ConditionalRules.SET_VX_SCRIPT, "1", "k", "b", "a", "PXAT", "1796161347000");
        PikaTranslator old = at(PikaGeneration.V3_5, REDIS5, TypeNames.none(), 1796161340);
        assertThat(args(old.translate(Tr.argv("SET", "k", "b", "VX", "a", "PX", "5000"), 1796161337).get(0)))
                .containsExactly("EVAL", ConditionalRules.SET_VX_SCRIPT, "1", "k", "b", "a", "PX", "2000");
    }

    @Test
    void setVxWhoseTtlHasPassedOnlyDeletesIfEqual() {
        PikaTranslator late = at(PikaGeneration.V3_5, REDIS7, TypeNames.none(), 1796161400);
        assertThat(args(late.translate(Tr.argv("SET", "k", "b", "VX", "a", "EX", "10"), 1796161337).get(0)))
                .containsExactly("EVAL", ConditionalRules.DEL_VX_SCRIPT, "1", "k", "a");
    }

    @Test
    void delVxIsAnEval() {
        // 3.3.6 #27: DELVX tr:vx new
        assertThat(args(t.translate(Tr.argv("DELVX", "tr:vx", "new"), 1795307157).get(0)))
                .containsExactly("EVAL", ConditionalRules.DEL_VX_SCRIPT, "1", "tr:vx", "new");
    }

    @Test
    void patternDelIsAKeylessEval() {
        // 3.5.5 #283 and 3.3.6 #78 (same form)
        assertThat(args(t.translate(Tr.argv("PKPATTERNMATCHDEL", "tr:pat:*", "string"), 1796161367).get(0)))
                .containsExactly("EVAL", ConditionalRules.PATTERN_DEL_SCRIPT, "0", "tr:pat:*", "string");
        assertThat(args(t.translate(Tr.argv("pkpatternmatchdel", "tr:*", "ZSET"), 1796161367).get(0)))
                .containsExactly("EVAL", ConditionalRules.PATTERN_DEL_SCRIPT, "0", "tr:*", "zset");
        assertThatThrownBy(() -> t.translate(Tr.argv("PKPATTERNMATCHDEL", "tr:*", "strings"), 1))
                .isInstanceOf(MalformedBinlogItemException.class);
        assertThatThrownBy(() -> t.translate(Tr.argv("SET", "k", "v", "VX"), 1))
                .isInstanceOf(MalformedBinlogItemException.class);
    }
}
