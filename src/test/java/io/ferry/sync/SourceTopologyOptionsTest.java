package io.ferry.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SourceTopologyOptionsTest {
    @Test
    void preferTakesMasterOrReplica() {
        assertThat(SourceTopologyOptions.parsePrefer("master")).isFalse();
        assertThat(SourceTopologyOptions.parsePrefer("Replica")).isTrue();
        assertThat(SourceTopologyOptions.parsePrefer(null)).isFalse();
    }

    @Test
    void anythingElseIsRefusedInOneLine() {
        assertThatThrownBy(() -> SourceTopologyOptions.parsePrefer("slave")).isInstanceOf(io.ferry.cli.UserError.class)
                .hasMessage("--source-prefer takes master or replica, not 'slave'");
    }
}
