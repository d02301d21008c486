package io.tierfs.migration.policy.plan;

/**
 * The mover's bandwidth cap as a token bucket, a pure value: the live mover asks how long to wait before copying
 * a chunk and records what it copied; the simulator does the same in virtual time.
 *
 * @param bytesPerSecond the cap; 0 = unlimited
 * @param burstBytes     bytes that may go at once after an idle spell
 * @param tokens         bytes allowed now (at {@code atMillis})
 * @param atMillis       when {@code tokens} was computed
 */
public record Bandwidth(long bytesPerSecond, long burstBytes, double tokens, long atMillis) {

    /** A full bucket at {@code nowMillis}; burst = one second's worth (at least one 4 MiB chunk). */
    public static Bandwidth of(long bytesPerSecond, long nowMillis) {
        long burst = Math.max(bytesPerSecond, 4L << 20);
        return new Bandwidth(bytesPerSecond, burst, burst, nowMillis);
    }

    public boolean unlimited() {
        return bytesPerSecond <= 0;
    }

    /** The bucket refilled up to {@code nowMillis}. */
    public Bandwidth at(long nowMillis) {
        if (unlimited() || nowMillis <= atMillis) {
            return this;
        }
        double t = Math.min(burstBytes, tokens + (nowMillis - atMillis) * (bytesPerSecond / 1000.0));
        return new Bandwidth(bytesPerSecond, burstBytes, t, nowMillis);
    }

    /** Milliseconds to wait at {@code nowMillis} before {@code bytes} may be copied (0 = now). */
    public long waitMillis(long bytes, long nowMillis) {
        if (unlimited()) {
            return 0;
        }
        Bandwidth b = at(nowMillis);
        double need = Math.min(bytes, burstBytes) - b.tokens;
        return need <= 0 ? 0 : (long) Math.ceil(need * 1000.0 / bytesPerSecond);
    }

    /** The bucket after copying {@code bytes} at {@code nowMillis} (may go negative: the next waits longer). */
    public Bandwidth took(long bytes, long nowMillis) {
        if (unlimited()) {
            return this;
        }
        Bandwidth b = at(nowMillis);
        return new Bandwidth(bytesPerSecond, burstBytes, b.tokens - bytes, b.atMillis);
    }
}
