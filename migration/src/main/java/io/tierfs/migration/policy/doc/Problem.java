package io.tierfs.migration.policy.doc;

/**
 * One thing wrong with a policy document. {@code location} is a JSON pointer into the document ("" for the whole
 * document, "/tiers/1/lowWatermark", "/rules/0/match/paths/2"), so that a REST client can point at the field.
 */
public record Problem(String location, String message) {

    @Override
    public String toString() {
        return (location.isEmpty() ? "/" : location) + ": " + message;
    }
}
