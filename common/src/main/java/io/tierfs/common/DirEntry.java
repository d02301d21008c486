package io.tierfs.common;

/** One name in a directory listing. */
public record DirEntry(String name, long ino, FileType type) {
}
