package io.tierfs.migration.policy;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class HeatTest {
    static final long H = 3_600_000;

    @Test
    void aHalfLifeHalvesTheHeat() {
        Heat h = new Heat(16, 0);
        assertEquals(8, h.valueAt(H, H), 1e-12);
        assertEquals(4, h.valueAt(2 * H, H), 1e-12);
        assertEquals(16 * Math.pow(0.5, 0.5), h.valueAt(H / 2, H), 1e-12);
        assertEquals(16, h.valueAt(-5, H), "no decay backwards");
    }

    @Test
    void accessesAddAfterDecay() {
        Heat h = Heat.COLD.touched(0, H, 1);
        assertEquals(1, h.value());
        h = h.touched(0, H, 1);
        assertEquals(2, h.value());
        h = h.touched(H, H, 1);
        assertEquals(2, h.value(), 1e-12, "2 halved to 1, plus 1");
        assertEquals(H, h.atMillis());
        Heat late = h.touched(H - 10, H, 3);
        assertEquals(5, late.value(), 1e-12, "an access stamped in the past counts at the heat's own time");
    }

    @Test
    void invalidHeat() {
        assertThrows(IllegalArgumentException.class, () -> new Heat(-1, 0));
        assertThrows(IllegalArgumentException.class, () -> new Heat(Double.NaN, 0));
        assertThrows(IllegalArgumentException.class, () -> Heat.decay(1, 10, 0));
    }
}
