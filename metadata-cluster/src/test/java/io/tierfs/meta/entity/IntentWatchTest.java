package io.tierfs.meta.entity;

import io.tierfs.common.FileType;
import io.tierfs.meta.state.Dentry;
import io.tierfs.meta.state.RenameIntent;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class IntentWatchTest {
    private static RenameIntent intent(long txid) {
        return RenameIntent.of(txid, "n" + txid, new Dentry(txid + 1, FileType.REGULAR, 1024), 2000, "m", null);
    }

    @Test
    void handsOverIntentsOpenLongerThanTheTimeoutAgainEveryTimeout() {
        IntentWatch w = new IntentWatch(1024, Duration.ofSeconds(10));
        assertEquals(Duration.ofMillis(2500), w.tick());
        RenameIntent a = intent(1);
        RenameIntent b = intent(2);
        assertEquals(List.of(), w.due(List.of(a), 0));
        assertEquals(List.of(), w.due(List.of(a, b), 5_000));
        assertEquals(List.of(a), w.due(List.of(a, b), 10_000));
        assertEquals(List.of(b), w.due(List.of(a, b), 15_000));
        assertEquals(List.of(), w.due(List.of(a, b), 19_999));
        assertEquals(List.of(a), w.due(List.of(a), 20_000), "b closed meanwhile");
        assertEquals(List.of(), w.due(List.of(b), 20_001), "a closed b reappearing starts a new clock");
        assertEquals(List.of(b), w.due(List.of(b), 30_001));
        assertEquals(Duration.ofMillis(10), new IntentWatch(1, Duration.ofMillis(20)).tick());
    }
}
