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

    /**
     * The unique-dirs layout: client {@code c} owns directories {@code c, c + C, c + 2C, ...} ({@code perClient} of
     * them) and file {@code i} (of client {@code i % C}) goes to the next of its own in turn.
     */
    static int ownIndex(int i, int clients, int perClient) {
        return i % clients + clients * ((i / clients) % perClient);
    }

    /** The directory after {@code d} among those of the same client (unique-dirs), for renames across dirs. */
    static int ownNext(int d, int clients, int perClient) {
        return d % clients + clients * ((d / clients + 1) % perClient);
    }

    /** Directories per client in the unique-dirs layout: {@code dirs / clients}, at least 2 (renames across). */
    static int perClient(int dirs, int clients) {
        return Math.max(2, dirs / clients);
    }
}
