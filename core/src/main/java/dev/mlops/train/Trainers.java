package dev.mlops.train;

import dev.mlops.error.InvalidInputException;
import java.util.List;

/** Picks a trainer by id, as the CLI and the Jenkins step name it. */
public final class Trainers {
    public static final List<String> IDS = List.of(DjlMlpTrainer.ID, CommandTrainer.ID);

    private Trainers() {
    }

    /** "djl-mlp" (no command) or "command" (needs the command line). */
    public static Trainer create(String id, String command) {
        String trainer = id == null || id.isBlank() ? DjlMlpTrainer.ID : id.trim();
        if (trainer.equals(DjlMlpTrainer.ID)) {
            if (command != null) {
                throw new InvalidInputException("command: only used with --trainer command; drop --command or pass --trainer command");
            }
            return new DjlMlpTrainer();
        }
        if (trainer.equals(CommandTrainer.ID)) {
            if (command == null || command.isBlank()) {
                throw new InvalidInputException("command: --trainer command needs the training command, e.g. --command \"python3 train.py\"");
            }
            return new CommandTrainer(command);
        }
        throw new InvalidInputException("trainer: '" + id + "' is unknown; use one of " + String.join(", ", IDS));
    }
}
