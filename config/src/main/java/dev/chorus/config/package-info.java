/**
 * Immutable settings for Chorus processes and the one place that loads them: defaults, then a YAML or
 * JSON file, then {@code CHORUS_*} environment variables, then command-line overrides.
 */
package dev.chorus.config;
