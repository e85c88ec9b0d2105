package dev.chorus.validator;

/** Where a validator's synthetic questions come from; implementations must be safe to call from the event loop. */
public interface QuerySource {

    Query next();
}
