package dev.mlops.registry;

import dev.mlops.error.InvalidInputException;

/**
 * A reference to a version: {@code name} (latest live version), {@code name:3} or
 * {@code name@production}.
 */
public record ModelRef(String model, Integer version, String alias) {

    public static ModelRef parse(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidInputException("model: empty reference; use NAME, NAME:VERSION or NAME@ALIAS");
        }
        int at = text.indexOf('@');
        if (at >= 0) {
            return new ModelRef(Names.model(text.substring(0, at)), null, Names.alias(text.substring(at + 1)));
        }
        int colon = text.lastIndexOf(':');
        if (colon >= 0) {
            String number = text.substring(colon + 1);
            try {
                int version = Integer.parseInt(number);
                if (version < 1) {
                    throw new NumberFormatException();
                }
                return new ModelRef(Names.model(text.substring(0, colon)), version, null);
            } catch (NumberFormatException e) {
                throw new InvalidInputException("version: '" + number + "' in '" + text
                        + "' is not a version number; use NAME:VERSION with VERSION >= 1, e.g. churn:3");
            }
        }
        return new ModelRef(Names.model(text), null, null);
    }

    @Override
    public String toString() {
        return version != null ? model + ":" + version : alias != null ? model + "@" + alias : model;
    }
}
