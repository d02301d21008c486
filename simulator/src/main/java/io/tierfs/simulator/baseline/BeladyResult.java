package io.tierfs.simulator.baseline;

/** The offline optimum's read hit ratio for a cache of {@code capacityBytes}, by bytes and by requests. */
public record BeladyResult(long capacityBytes, long readRequests, long readBytes, long hitRequests, long hitBytes) {

    public double hitRatioBytes() {
        return readBytes == 0 ? 0 : (double) hitBytes / readBytes;
    }

    public double hitRatioRequests() {
        return readRequests == 0 ? 0 : (double) hitRequests / readRequests;
    }
}
