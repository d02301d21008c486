package io.tierfs.node.cli;

import java.util.List;

/** The policy commands (issue 4), registered by {@link Main} with one line. */
final class PolicyCommands {
    private PolicyCommands() {
    }

    static List<Command> all() {
        return List.of(new PolicyCommand(), PinCommand.pin(), PinCommand.unpin(), new PrestageCommand(),
                new MigrationsCommand());
    }
}
