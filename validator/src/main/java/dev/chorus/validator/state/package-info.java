/**
 * What the validator keeps across restarts: the state file (written atomically, validated on load) and the
 * round log (JSONL, rotated by size, a torn last line detected and skipped).
 */
package dev.chorus.validator.state;
