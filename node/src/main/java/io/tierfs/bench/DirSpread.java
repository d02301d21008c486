package io.tierfs.bench;

/**
 * Which of D directories file {@code i} of a phase goes to when C clients share the work (client {@code i % C}):
 * each client walks through every directory, and at any moment the clients are spread over different ones (client
 * c starts at directory c*D/C), as mdtest's shared-directory mode does rather than one private directory per task.
 */
final class DirSpread {
    private DirSpread() {
    }

    static int index(int i, int clients, int dirs) {
        if (dirs == 1) {
            return 0;
        }
        int stride = Math.max(1, dirs / clients);
        return (int) (((long) (i / clients) + (long) (i % clients) * stride) % dirs);
    }
}
