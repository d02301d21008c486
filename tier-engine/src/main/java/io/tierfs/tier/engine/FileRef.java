package io.tierfs.tier.engine;

/** One chunk file on one tier, with the bytes it accounts for; what is freed after a layout switch is durable. */
public record FileRef(int tier, long ino, int index, long gen, long length) {
}
