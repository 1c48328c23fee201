package io.ferry.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateDirLockTest {
    @Test
    void aSecondRunOnTheSameStateDirectoryIsRefusedUntilTheFirstEnds(@TempDir Path dir) {
        try (StateDirLock first = StateDirLock.acquire(dir)) {
            assertThatThrownBy(() -> StateDirLock.acquire(dir))
                    .isInstanceOf(SyncStateException.class)
                    .hasMessageContaining("another ferry sync is using the state directory")
                    .hasMessageContaining("pid " + ProcessHandle.current().pid());
        }
        try (StateDirLock again = StateDirLock.acquire(dir)) {
            assertThat(again).isNotNull();
        }
    }
}
